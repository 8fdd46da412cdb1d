#include "cli/args.h"

#include <algorithm>
#include <limits>

namespace porthole::cli {

namespace {

Error invalid(const QString &message)
{
    return Error(ErrorCode::InvalidArgument, message);
}

QString hex(uint v, int digits)
{
    return QStringLiteral("%1").arg(v, digits, 16, QLatin1Char('0'));
}

// Go's strconv.Quote for one code point, without the surrounding quotes.
QString goEscape(char32_t c, char32_t quote)
{
    if (c == quote || c == U'\\')
        return QStringLiteral("\\") + QChar(char16_t(c));
    switch (c) {
    case U'\a': return QStringLiteral("\\a");
    case U'\b': return QStringLiteral("\\b");
    case U'\f': return QStringLiteral("\\f");
    case U'\n': return QStringLiteral("\\n");
    case U'\r': return QStringLiteral("\\r");
    case U'\t': return QStringLiteral("\\t");
    case U'\v': return QStringLiteral("\\v");
    default: break;
    }
    // Go's IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII
    // space; Qt also counts other separators (NBSP...) as printable, Go does not.
    const bool separator = QChar::category(c) == QChar::Separator_Space
        || QChar::category(c) == QChar::Separator_Line
        || QChar::category(c) == QChar::Separator_Paragraph;
    if (c == U' ' || (QChar::isPrint(c) && !separator))
        return QString::fromUcs4(&c, 1);
    if (c < 0x80)
        return QStringLiteral("\\x") + hex(c, 2);
    if (c < 0x10000)
        return QStringLiteral("\\u") + hex(c, 4);
    return QStringLiteral("\\U") + hex(c, 8);
}

// Go's %q for a byte/rune, as pflag uses for shorthand letters: 'z'.
QString goQuoteRune(QChar c)
{
    return QLatin1Char('\'') + goEscape(c.unicode(), U'\'') + QLatin1Char('\'');
}

QString syntaxError(const char *fn, const QString &s)
{
    return QStringLiteral("strconv.%1: parsing %2: invalid syntax").arg(QLatin1String(fn), goQuote(s));
}

QString rangeError(const char *fn, const QString &s)
{
    return QStringLiteral("strconv.%1: parsing %2: value out of range").arg(QLatin1String(fn), goQuote(s));
}

char lower(QChar c)
{
    const ushort u = c.unicode();
    return u < 0x80 ? char(u | 0x20) : '\0';
}

// Go's underscoreOK: `_` may only separate digits (a base prefix counts as one).
bool underscoreOK(QStringView s)
{
    char saw = '^';
    qsizetype i = 0;
    if (!s.isEmpty() && (s[0] == u'-' || s[0] == u'+'))
        s = s.mid(1);
    bool hexDigits = false;
    if (s.size() >= 2 && s[0] == u'0' && (lower(s[1]) == 'b' || lower(s[1]) == 'o' || lower(s[1]) == 'x')) {
        i = 2;
        saw = '0';
        hexDigits = lower(s[1]) == 'x';
    }
    for (; i < s.size(); ++i) {
        const char c = lower(s[i]); // only for hex letters: lower('_') is not '_'
        if ((s[i] >= u'0' && s[i] <= u'9') || (hexDigits && c >= 'a' && c <= 'f')) {
            saw = '0';
            continue;
        }
        if (s[i] == u'_') {
            if (saw != '0')
                return false;
            saw = '_';
            continue;
        }
        if (saw == '_')
            return false;
        saw = '!';
    }
    return saw != '_';
}

QString defaultValueName(FlagSpec::Kind kind)
{
    switch (kind) {
    case FlagSpec::Bool: return {};
    case FlagSpec::String: return QStringLiteral("string");
    case FlagSpec::StringList: return QStringLiteral("list"); // docker's opts.ListOpts type
    case FlagSpec::Int: return QStringLiteral("int");
    }
    return {};
}

QString normalizedDefault(const FlagSpec &spec)
{
    switch (spec.kind) {
    case FlagSpec::Bool: {
        const Result<bool> b = parseGoBool(spec.defaultValue);
        return b.ok() && *b ? QStringLiteral("true") : QStringLiteral("false");
    }
    case FlagSpec::Int: {
        const Result<qint64> n = parseGoInt(spec.defaultValue);
        return QString::number(n.ok() ? *n : 0);
    }
    case FlagSpec::String:
    case FlagSpec::StringList:
        break;
    }
    return spec.defaultValue;
}

// pflag's wrapN: split s at the last blank before column i, allowing slop more
// characters when that would finish the text (no orphaned last word).
std::pair<QString, QString> wrapN(qsizetype i, qsizetype slop, const QString &s)
{
    if (i + slop > s.size())
        return {s, {}};
    const QString head = s.left(i);
    qsizetype w = -1;
    for (qsizetype k = head.size() - 1; k >= 0 && w < 0; --k) {
        if (head[k] == u' ' || head[k] == u'\t' || head[k] == u'\n')
            w = k;
    }
    if (w <= 0)
        return {s, {}};
    const qsizetype nl = head.lastIndexOf(u'\n');
    if (nl > 0 && nl < w)
        return {s.left(nl), s.mid(nl + 1)};
    return {s.left(w), s.mid(w + 1)};
}

// pflag's wrap: indent continuation lines by `indent`, wrap at `width` (0: never).
QString wrap(qsizetype indent, qsizetype width, QString s)
{
    const auto newlineIndent = [&] { return QLatin1Char('\n') + QString(indent, u' '); };
    if (width == 0)
        return s.replace(u'\n', newlineIndent());
    qsizetype room = width - indent;
    QString r;
    if (room < 24) {
        indent = 16;
        room = width - indent;
        r += newlineIndent();
    }
    if (room < 24)
        return s.replace(QStringLiteral("\n"), r);
    const qsizetype slop = 5;
    room -= slop;
    auto [line, rest] = wrapN(room, slop, s);
    r += line.replace(u'\n', newlineIndent());
    while (!rest.isEmpty()) {
        auto [next, remaining] = wrapN(room, slop, rest);
        r += newlineIndent() + next.replace(u'\n', newlineIndent());
        rest = remaining;
    }
    return r;
}

} // namespace

QString goQuote(const QString &s)
{
    QString out = QStringLiteral("\"");
    for (char32_t c : s.toUcs4())
        out += goEscape(c, U'"');
    return out + QLatin1Char('"');
}

Result<bool> parseGoBool(const QString &s)
{
    static const QStringList yes = {"1", "t", "T", "TRUE", "true", "True"};
    static const QStringList no = {"0", "f", "F", "FALSE", "false", "False"};
    if (yes.contains(s))
        return true;
    if (no.contains(s))
        return false;
    return invalid(syntaxError("ParseBool", s));
}

Result<qint64> parseGoInt(const QString &s0)
{
    QStringView s(s0);
    bool neg = false;
    if (!s.isEmpty() && (s[0] == u'+' || s[0] == u'-')) {
        neg = s[0] == u'-';
        s = s.mid(1);
    }
    if (s.isEmpty())
        return invalid(syntaxError("ParseInt", s0));
    quint64 base = 10;
    if (s[0] == u'0') {
        const char p = s.size() >= 3 ? lower(s[1]) : '\0';
        base = p == 'b' ? 2 : p == 'o' ? 8 : p == 'x' ? 16 : 8;
        s = s.mid(p == 'b' || p == 'o' || p == 'x' ? 2 : 1);
    }
    const quint64 cutoff = std::numeric_limits<quint64>::max() / base + 1;
    quint64 n = 0;
    bool underscores = false;
    bool overflow = false;
    for (QChar qc : s) {
        const char c = lower(qc);
        quint64 d = 0;
        if (qc == u'_') {
            underscores = true;
            continue;
        } else if (qc >= u'0' && qc <= u'9') {
            d = qc.unicode() - '0';
        } else if (c >= 'a' && c <= 'z') {
            d = quint64(c - 'a') + 10;
        } else {
            return invalid(syntaxError("ParseInt", s0));
        }
        if (d >= base)
            return invalid(syntaxError("ParseInt", s0));
        // Go stops at the first overflow, so later garbage reads as out of range.
        if (n >= cutoff || n * base + d < n * base) {
            overflow = true;
            break;
        }
        n = n * base + d;
    }
    if (!overflow && underscores && !underscoreOK(s0))
        return invalid(syntaxError("ParseInt", s0));
    const quint64 limit = quint64(1) << 63;
    if (overflow || (!neg && n >= limit) || (neg && n > limit))
        return invalid(rangeError("ParseInt", s0));
    return neg ? qint64(0 - n) : qint64(n);
}

bool ParsedArgs::boolValue(const QString &name) const
{
    return value(name) == QLatin1String("true");
}

QString ParsedArgs::value(const QString &name) const
{
    const auto it = m_given.constFind(name);
    return it != m_given.cend() ? it->last() : m_defaults.value(name);
}

QStringList ParsedArgs::values(const QString &name) const
{
    const auto it = m_given.constFind(name);
    if (it != m_given.cend())
        return *it;
    const QString def = m_defaults.value(name);
    return def.isEmpty() ? QStringList() : QStringList{def};
}

qint64 ParsedArgs::intValue(const QString &name) const
{
    return value(name).toLongLong();
}

ArgParser &ArgParser::addFlag(const FlagSpec &spec)
{
    const bool clash = findLong(spec.longName) || (!spec.shortName.isNull() && findShort(spec.shortName));
    Q_ASSERT_X(!clash, "ArgParser::addFlag", qPrintable(QStringLiteral("flag redefined: ") + spec.longName));
    if (!clash)
        m_specs.append(spec);
    return *this;
}

const FlagSpec *ArgParser::findLong(const QString &name) const
{
    for (const FlagSpec &s : m_specs) {
        if (s.longName == name)
            return &s;
    }
    return nullptr;
}

const FlagSpec *ArgParser::findShort(QChar c) const
{
    for (const FlagSpec &s : m_specs) {
        if (!s.shortName.isNull() && s.shortName == c)
            return &s;
    }
    return nullptr;
}

Status ArgParser::setValue(ParsedArgs &out, const FlagSpec &spec, const QString &value) const
{
    // Stored normalized ("true", decimal) as pflag's Value.String() would print it.
    QString normalized = value;
    QString problem;
    if (spec.kind == FlagSpec::Bool) {
        const Result<bool> b = parseGoBool(value);
        if (b.ok())
            normalized = *b ? QStringLiteral("true") : QStringLiteral("false");
        else
            problem = b.error().message;
    } else if (spec.kind == FlagSpec::Int) {
        const Result<qint64> n = parseGoInt(value);
        if (n.ok())
            normalized = QString::number(*n);
        else
            problem = n.error().message;
    } else if (spec.check) {
        if (const Status st = spec.check(value); !st)
            problem = st.error().message;
    }
    if (!problem.isEmpty()) {
        const QString flagName = spec.shortName.isNull()
            ? QStringLiteral("--") + spec.longName
            : QStringLiteral("-%1, --%2").arg(spec.shortName).arg(spec.longName);
        return invalid(QStringLiteral("invalid argument ") + goQuote(value) + QStringLiteral(" for ")
                       + goQuote(flagName) + QStringLiteral(" flag: ") + problem);
    }
    out.m_given[spec.longName].append(normalized);
    return {};
}

Status ArgParser::parseLong(ParsedArgs &out, const QString &arg, const QStringList &args,
                            qsizetype &next, bool &help) const
{
    QString name = arg.mid(2);
    if (name.isEmpty() || name[0] == u'-' || name[0] == u'=')
        return invalid(QStringLiteral("bad flag syntax: ") + arg);
    const qsizetype eq = name.indexOf(u'=');
    QString value = eq >= 0 ? name.mid(eq + 1) : QString();
    if (eq >= 0)
        name.truncate(eq);
    const FlagSpec *spec = findLong(name);
    if (!spec) {
        if (name == QLatin1String("help")) {
            help = true;
            return {};
        }
        return invalid(QStringLiteral("unknown flag: --") + name);
    }
    if (eq < 0) {
        if (spec->kind == FlagSpec::Bool)
            value = QStringLiteral("true"); // pflag's NoOptDefVal: never eat the next word
        else if (next < args.size())
            value = args[next++];
        else
            return invalid(QStringLiteral("flag needs an argument: ") + arg);
    }
    return setValue(out, *spec, value);
}

Status ArgParser::parseShorts(ParsedArgs &out, const QString &arg, const QStringList &args,
                              qsizetype &next, bool &help) const
{
    QString shorthands = arg.mid(1);
    while (!shorthands.isEmpty()) {
        const QChar c = shorthands[0];
        QString remaining = shorthands.mid(1);
        const FlagSpec *spec = findShort(c);
        if (!spec) {
            if (c == u'h') {
                help = true;
                return {};
            }
            return invalid(QStringLiteral("unknown shorthand flag: ") + goQuoteRune(c)
                           + QStringLiteral(" in -") + shorthands);
        }
        QString value;
        if (shorthands.size() > 2 && shorthands[1] == u'=') {
            value = shorthands.mid(2); // -f=value, also -it=false for the last bool
            remaining.clear();
        } else if (spec->kind == FlagSpec::Bool) {
            value = QStringLiteral("true");
        } else if (shorthands.size() > 1) {
            value = shorthands.mid(1); // -nvalue
            remaining.clear();
        } else if (next < args.size()) {
            value = args[next++];
        } else {
            return invalid(QStringLiteral("flag needs an argument: ") + goQuoteRune(c)
                           + QStringLiteral(" in -") + shorthands);
        }
        PH_CHECK(setValue(out, *spec, value));
        shorthands = remaining;
    }
    return {};
}

Result<ParsedArgs> ArgParser::parse(const QStringList &args) const
{
    ParsedArgs out;
    for (const FlagSpec &spec : m_specs)
        out.m_defaults.insert(spec.longName, normalizedDefault(spec));

    qsizetype next = 0;
    while (next < args.size()) {
        const QString &s = args[next++];
        if (s.size() < 2 || s[0] != u'-') { // "" and "-" are positional too
            out.positional.append(s);
            if (!m_interspersed) {
                out.positional.append(args.mid(next));
                break;
            }
            continue;
        }
        bool help = false;
        if (s[1] == u'-') {
            if (s.size() == 2) {
                out.argsLenAtDash = int(out.positional.size());
                out.positional.append(args.mid(next));
                break;
            }
            PH_CHECK(parseLong(out, s, args, next, help));
        } else {
            PH_CHECK(parseShorts(out, s, args, next, help));
        }
        if (help) {
            out.helpRequested = true;
            break;
        }
    }
    return out;
}

QString ArgParser::helpText(const QString &usageLine, const QString &description, int wrapColumns) const
{
    QList<const FlagSpec *> visible;
    for (const FlagSpec &s : m_specs) {
        if (!s.hidden)
            visible.append(&s);
    }
    std::sort(visible.begin(), visible.end(),
              [](const FlagSpec *a, const FlagSpec *b) { return a->longName < b->longName; });

    QString text = QStringLiteral("\nUsage:  ") + usageLine + QStringLiteral("\n\n")
        + description.trimmed() + QLatin1Char('\n');
    if (visible.isEmpty())
        return text;

    QStringList lefts;
    QStringList usages;
    qsizetype maxlen = 0;
    for (const FlagSpec *s : visible) {
        QString left = s->shortName.isNull()
            ? QStringLiteral("      --") + s->longName
            : QStringLiteral("  -%1, --%2").arg(s->shortName).arg(s->longName);
        const QString varname = s->valueName.isEmpty() ? defaultValueName(s->kind) : s->valueName;
        if (!varname.isEmpty())
            left += QLatin1Char(' ') + varname;
        // pflag counts its NUL placeholder in maxlen, hence the +1.
        maxlen = std::max(maxlen, left.size() + 1);

        QString usage = s->help;
        const QString def = normalizedDefault(*s);
        if (s->kind == FlagSpec::String && !def.isEmpty())
            usage += QStringLiteral(" (default ") + goQuote(def) + QLatin1Char(')');
        else if ((s->kind == FlagSpec::Bool && def != QLatin1String("false"))
                 || (s->kind == FlagSpec::Int && def != QLatin1String("0")))
            usage += QStringLiteral(" (default ") + def + QLatin1Char(')');
        else if (s->kind == FlagSpec::StringList && !def.isEmpty())
            usage += QStringLiteral(" (default [") + def + QStringLiteral("])");
        lefts.append(left);
        usages.append(usage);
    }
    QString block;
    for (qsizetype i = 0; i < lefts.size(); ++i) {
        // Go's Fprintln(left, spacing, usage) puts a blank between operands.
        block += lefts[i] + QLatin1Char(' ') + QString(maxlen - lefts[i].size(), u' ')
            + QLatin1Char(' ') + wrap(maxlen + 2, wrapColumns, usages[i]) + QLatin1Char('\n');
    }
    while (!block.isEmpty() && block.back().isSpace())
        block.chop(1);
    return text + QStringLiteral("\nOptions:\n") + block + QLatin1Char('\n');
}

} // namespace porthole::cli
