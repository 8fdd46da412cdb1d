#include "core/imagechange.h"

#include "core/jsonobject.h"
#include "core/shellwords.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace porthole {

using namespace Qt::StringLiterals;

namespace {

// One logical Dockerfile line of a change: keyword upper-cased, rest trimmed.
struct Line {
    QString keyword;
    QString rest;
    QString text; // the whole change string, for messages
};

Error changeError(const QString &text, const QString &why)
{
    QString shown = text.simplified();
    if (shown.size() > 200)
        shown = shown.left(200) + u"…"_s;
    return Error(ErrorCode::InvalidArgument, QStringLiteral("change \"%1\": %2").arg(shown, why));
}

const QStringList &changeKeywords()
{
    static const QStringList k{u"CMD"_s,   u"ENTRYPOINT"_s, u"ENV"_s,    u"EXPOSE"_s, u"LABEL"_s,
                               u"ONBUILD"_s, u"STOPSIGNAL"_s, u"USER"_s, u"VOLUME"_s, u"WORKDIR"_s};
    return k;
}

// Docker's parser: comments and blank lines dropped, "\" at a line end joins
// the next line (blank and comment lines inside a continuation are skipped).
QStringList logicalLines(const QString &text)
{
    QStringList out;
    QString cur;
    bool continuing = false;
    for (QString line : text.split(u'\n')) {
        if (line.endsWith(u'\r'))
            line.chop(1);
        const QString trimmed = line.trimmed();
        if (trimmed.startsWith(u'#') || (trimmed.isEmpty() && (continuing || cur.isEmpty())))
            continue;
        QString body = line;
        while (!body.isEmpty() && body.back().isSpace())
            body.chop(1);
        if (body.endsWith(u'\\')) {
            body.chop(1);
            cur += body;
            continuing = true;
            continue;
        }
        cur += line;
        out.append(cur.trimmed());
        cur.clear();
        continuing = false;
    }
    if (!cur.trimmed().isEmpty())
        out.append(cur.trimmed());
    return out;
}

// `ENV k=v k2="v 2"` or the legacy `ENV k the rest`; same for LABEL.
Result<QList<std::pair<QString, QString>>> keyValues(const Line &l, const DockerfileLexer &lex)
{
    const QStringList words = dockerfileWords(l.rest);
    if (words.isEmpty())
        return changeError(l.text, l.keyword + u" requires at least one argument"_s);
    QList<std::pair<QString, QString>> raw;
    if (!words.first().contains(u'=')) {
        const qsizetype blank = l.rest.indexOf(QRegularExpression(u"\\s"_s));
        if (blank < 0)
            return changeError(l.text, l.keyword + u" must have two arguments"_s);
        raw.append({l.rest.left(blank), l.rest.mid(blank).trimmed()});
    } else {
        for (const QString &w : words) {
            const qsizetype eq = w.indexOf(u'=');
            if (eq < 0)
                return changeError(l.text, QStringLiteral("syntax error - can't find = in \"%1\"; must be of the "
                                                          "form: name=value")
                                               .arg(w));
            raw.append({w.left(eq), w.mid(eq + 1)});
        }
    }
    QList<std::pair<QString, QString>> out;
    for (const auto &[k, v] : raw) {
        auto key = lex.word(k);
        auto value = key ? lex.word(v) : key;
        if (!value)
            return changeError(l.text, value.error().message);
        if (key->isEmpty())
            return changeError(l.text, l.keyword + u" names can not be blank"_s);
        out.append({*key, *value});
    }
    return out;
}

// CMD/ENTRYPOINT: JSON array form as is, anything else is shell form.
QStringList commandLine(const Line &l, const ImageConfig &config)
{
    if (l.rest.startsWith(u'[')) {
        const QJsonDocument doc = QJsonDocument::fromJson(l.rest.toUtf8());
        if (doc.isArray()) {
            QStringList argv;
            bool allStrings = true;
            for (const QJsonValue &v : doc.array()) {
                allStrings = allStrings && v.isString();
                argv.append(v.toString());
            }
            if (allStrings)
                return argv;
        }
    }
    QStringList shell = config.shell();
    if (shell.isEmpty())
        shell = QStringList{u"/bin/sh"_s, u"-c"_s};
    return shell << l.rest;
}

// VOLUME: JSON array of strings, otherwise blank-separated words.
QStringList volumeArgs(const QString &rest)
{
    if (rest.startsWith(u'[')) {
        const QJsonDocument doc = QJsonDocument::fromJson(rest.toUtf8());
        const QJsonArray arr = doc.array();
        if (doc.isArray() && std::all_of(arr.begin(), arr.end(), [](const QJsonValue &v) { return v.isString(); }))
            return QJsonDocument(arr).toVariant().toStringList();
    }
    return rest.split(QRegularExpression(u"\\s+"_s), Qt::SkipEmptyParts);
}

// "80", "80/udp", "8000-8002/tcp"; like docker, a host part ("8080:80") is
// accepted and ignored since an image can only expose container ports.
Result<QStringList> portKeys(const QString &spec)
{
    const QString container = spec.section(u':', -1);
    QString port = container.section(u'/', 0, 0);
    QString proto = container.section(u'/', 1).toLower();
    if (port.isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("no port specified in \"%1\"").arg(spec));
    if (proto.isEmpty())
        proto = u"tcp"_s;
    if (proto != u"tcp" && proto != u"udp" && proto != u"sctp")
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("invalid protocol \"%1\" in \"%2\" (tcp, udp or sctp)").arg(proto, spec));
    bool okFirst = false, okLast = false;
    const uint first = port.section(u'-', 0, 0).toUInt(&okFirst);
    const uint last = port.contains(u'-') ? port.section(u'-', 1).toUInt(&okLast) : (okLast = okFirst, first);
    if (!okFirst || !okLast || first > 65535 || last > 65535 || first > last)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("invalid port \"%1\" in \"%2\"").arg(port, spec));
    QStringList keys;
    for (uint p = first; p <= last; ++p)
        keys.append(QStringLiteral("%1/%2").arg(p).arg(proto));
    return keys;
}

bool isValidSignal(const QString &text)
{
    bool numeric = false;
    const int n = text.toInt(&numeric);
    if (numeric)
        return n >= 1 && n <= 64;
    QString name = text.toUpper();
    if (name.startsWith(u"SIG"))
        name = name.mid(3);
    static const QStringList names = QStringLiteral(
        "ABRT ALRM BUS CHLD CLD CONT FPE HUP ILL INT IO IOT KILL PIPE POLL PROF PWR QUIT SEGV STKFLT STOP "
        "SYS TERM TRAP TSTP TTIN TTOU URG USR1 USR2 VTALRM WINCH XCPU XFSZ RTMIN RTMAX").split(u' ');
    if (names.contains(name))
        return true;
    static const QRegularExpression rt(u"^(RTMIN\\+([1-9]|1[0-5])|RTMAX-([1-9]|1[0-4]))$"_s);
    return rt.match(name).hasMatch();
}

// filepath.Join("/", current, requested) for relative paths, Clean otherwise.
QString normalizeWorkdir(const QString &current, const QString &requested)
{
    const QString joined = requested.startsWith(u'/') ? requested : current + u'/' + requested;
    QStringList parts;
    for (const QString &p : joined.split(u'/', Qt::SkipEmptyParts)) {
        if (p == u"..") {
            if (!parts.isEmpty())
                parts.removeLast();
        } else if (p != u".") {
            parts.append(p);
        }
    }
    return u'/' + parts.join(u'/');
}

QJsonObject withKeys(QJsonObject map, const QStringList &keys)
{
    for (const QString &k : keys)
        map.insert(k, QJsonObject());
    return map;
}

Status requireOne(const Line &l)
{
    if (l.rest.isEmpty())
        return changeError(l.text, l.keyword + u" requires exactly one argument"_s);
    return {};
}

Status dispatch(ImageConfig &config, const Line &l, bool &cmdSet)
{
    const DockerfileLexer lex(envMap(config.env()));
    auto lexError = [&](const Error &e) { return changeError(l.text, e.message); };
    const QString &k = l.keyword;

    if (k == u"CMD" || k == u"ENTRYPOINT") {
        if (l.rest.isEmpty())
            return changeError(l.text, k + u" requires at least one argument"_s);
        const QStringList argv = commandLine(l, config);
        // ArgsEscaped only means something on Windows; docker drops it here.
        config.removeConfigValue(u"ArgsEscaped"_s);
        if (k == u"CMD") {
            config.setCmd(argv);
            cmdSet = cmdSet || !argv.isEmpty();
        } else {
            config.setEntrypoint(argv);
            // docker's dispatchEntrypoint: an image's old CMD rarely suits a new
            // ENTRYPOINT, so it is reset unless this change set gave one.
            if (!cmdSet)
                config.setConfigValue(u"Cmd"_s, QJsonValue::Null);
        }
    } else if (k == u"ENV") {
        PH_TRY(const auto pairs, keyValues(l, lex));
        QStringList env = config.env();
        for (const auto &[key, value] : pairs) {
            const QString entry = key + u'=' + value;
            auto it = std::find_if(env.begin(), env.end(),
                                   [&](const QString &e) { return e.section(u'=', 0, 0) == key; });
            if (it != env.end())
                *it = entry;
            else
                env.append(entry);
        }
        config.setEnv(env);
    } else if (k == u"LABEL") {
        PH_TRY(const auto pairs, keyValues(l, lex));
        QJsonObject labels = config.configValue(u"Labels").toObject();
        for (const auto &[key, value] : pairs)
            labels.insert(key, value);
        config.setConfigValue(u"Labels"_s, labels);
    } else if (k == u"EXPOSE") {
        auto specs = lex.words(l.rest);
        if (!specs)
            return lexError(specs.error());
        if (specs->isEmpty())
            return changeError(l.text, u"EXPOSE requires at least one argument"_s);
        QStringList keys;
        for (const QString &spec : *specs) {
            auto more = portKeys(spec);
            if (!more)
                return lexError(more.error());
            keys += *more;
        }
        config.setConfigValue(u"ExposedPorts"_s, withKeys(config.configValue(u"ExposedPorts").toObject(), keys));
    } else if (k == u"VOLUME") {
        const QStringList args = volumeArgs(l.rest);
        if (args.isEmpty())
            return changeError(l.text, u"VOLUME requires at least one argument"_s);
        QStringList paths;
        for (const QString &a : args) {
            auto path = lex.word(a.trimmed());
            if (!path)
                return lexError(path.error());
            if (path->trimmed().isEmpty())
                return changeError(l.text, u"VOLUME specified can not be an empty string"_s);
            paths.append(*path);
        }
        config.setConfigValue(u"Volumes"_s, withKeys(config.configValue(u"Volumes").toObject(), paths));
    } else if (k == u"USER" || k == u"WORKDIR" || k == u"STOPSIGNAL") {
        PH_CHECK(requireOne(l));
        auto value = lex.word(l.rest);
        if (!value)
            return lexError(value.error());
        if (value->isEmpty())
            return changeError(l.text, k + u" requires exactly one argument"_s);
        if (k == u"USER") {
            config.setConfigValue(u"User"_s, *value);
        } else if (k == u"WORKDIR") {
            config.setConfigValue(u"WorkingDir"_s, normalizeWorkdir(config.workingDir(), *value));
        } else {
            if (!isValidSignal(*value))
                return changeError(l.text, QStringLiteral("invalid signal \"%1\"").arg(*value));
            config.setConfigValue(u"StopSignal"_s, *value);
        }
    } else if (k == u"ONBUILD") {
        const QString trigger = l.rest.section(QRegularExpression(u"\\s+"_s), 0, 0).toUpper();
        if (trigger.isEmpty())
            return changeError(l.text, u"ONBUILD requires at least one argument"_s);
        if (trigger == u"ONBUILD")
            return changeError(l.text, u"chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"_s);
        if (trigger == u"FROM" || trigger == u"MAINTAINER")
            return changeError(l.text, trigger + u" isn't allowed as an ONBUILD trigger"_s);
        static const QStringList triggers = QStringLiteral(
            "ADD ARG CMD COPY ENTRYPOINT ENV EXPOSE HEALTHCHECK LABEL RUN SHELL STOPSIGNAL USER VOLUME WORKDIR")
                                                .split(u' ');
        if (!triggers.contains(trigger))
            return changeError(l.text, QStringLiteral("unknown instruction \"%1\" as an ONBUILD trigger").arg(trigger));
        config.setConfigValue(u"OnBuild"_s, json::fromStringList(config.onBuild() << l.rest));
    }
    return {};
}

// Splits a change into lines and checks each keyword and flag.
Result<QList<Line>> parseChange(const QString &text)
{
    const QStringList lines = logicalLines(text);
    if (lines.isEmpty())
        return changeError(text, u"an empty instruction is not a valid change command"_s);
    QList<Line> out;
    for (const QString &line : lines) {
        Line l;
        l.text = text;
        const qsizetype blank = line.indexOf(QRegularExpression(u"\\s"_s));
        const QString word = blank < 0 ? line : line.left(blank);
        l.rest = blank < 0 ? QString() : line.mid(blank).trimmed();
        l.keyword = word.toUpper();
        if (!changeKeywords().contains(l.keyword))
            return changeError(text, word + u" is not a valid change command"_s);
        // Docker reads leading --flags on every instruction; none of these take any.
        while (l.rest.startsWith(u"--")) {
            const QString flag = l.rest.section(QRegularExpression(u"\\s+"_s), 0, 0);
            l.rest = l.rest.mid(flag.size()).trimmed();
            if (flag == u"--")
                break;
            return changeError(text, QStringLiteral("unknown flag %1 for %2").arg(flag, l.keyword));
        }
        out.append(l);
    }
    return out;
}

} // namespace

Status applyChange(ImageConfig &config, const QString &instruction)
{
    return applyChanges(config, QStringList{instruction});
}

Status applyChanges(ImageConfig &config, const QStringList &instructions)
{
    QList<Line> lines;
    for (const QString &text : instructions) {
        PH_TRY(const QList<Line> more, parseChange(text));
        lines += more;
    }
    ImageConfig result = config;
    bool cmdSet = false;
    for (const Line &l : lines)
        PH_CHECK(dispatch(result, l, cmdSet));
    config = result;
    return {};
}

} // namespace porthole
