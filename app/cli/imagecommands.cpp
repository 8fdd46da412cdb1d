// images, tag, rmi, history: the image verbs, with docker's flags, columns
// and exit codes.
#include "cli/context.h"
#include "core/reference.h"
#include "format/format.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cstdlib>

namespace porthole::cli {

namespace {

QString imageIdText(const Digest &id, bool noTrunc) { return noTrunc ? id.toString() : id.shortHex(); }

// `images ubuntu` lists every tag of ubuntu; `images ubuntu:22.04` one tag.
bool matchesFilter(const service::ImageRow &row, const QString &filter)
{
    if (filter.isEmpty())
        return true;
    if (row.refName.isEmpty())
        return false;
    auto wanted = Reference::parse(filter);
    auto have = Reference::parse(row.refName);
    if (!wanted || !have)
        return false;
    if (wanted->name() != have->name())
        return false;
    return !wanted->hasTag() || wanted->tag() == have->tag();
}

void declareImages(ArgParser &p)
{
    p.addFlag({QStringLiteral("all"), u'a', FlagSpec::Bool, {}, {}, QStringLiteral("Show all images (default hides intermediate images)")});
    p.addFlag({QStringLiteral("digests"), QChar(), FlagSpec::Bool, {}, {}, QStringLiteral("Show digests")});
    p.addFlag({QStringLiteral("no-trunc"), QChar(), FlagSpec::Bool, {}, {}, QStringLiteral("Don't truncate output")});
    p.addFlag({QStringLiteral("quiet"), u'q', FlagSpec::Bool, {}, {}, QStringLiteral("Only show image IDs")});
}

int runImages(Context &ctx, const ParsedArgs &args)
{
    const QString filter = args.positional.value(0);
    if (!filter.isEmpty()) {
        if (auto ref = Reference::parse(filter); !ref)
            return ctx.fail(ref.error());
    }
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    auto rows = engine->listImages();
    if (!rows)
        return ctx.fail(rows.error());
    QList<service::ImageRow> shown;
    for (const auto &row : *rows) {
        if (matchesFilter(row, filter))
            shown.append(row);
    }
    // Newest first, as docker; ties by name so the order is stable.
    std::stable_sort(shown.begin(), shown.end(), [](const auto &a, const auto &b) {
        if (a.created != b.created)
            return a.created > b.created;
        return a.repository + u':' + a.tag < b.repository + u':' + b.tag;
    });
    const bool noTrunc = args.boolValue(QStringLiteral("no-trunc"));
    if (args.boolValue(QStringLiteral("quiet"))) {
        for (const auto &row : shown)
            ctx.out() << imageIdText(row.id, noTrunc) << '\n';
        return kExitOk;
    }
    const bool digests = args.boolValue(QStringLiteral("digests"));
    format::TableWriter table;
    QStringList header{QStringLiteral("REPOSITORY"), QStringLiteral("TAG")};
    if (digests)
        header << QStringLiteral("DIGEST");
    header << QStringLiteral("IMAGE ID") << QStringLiteral("CREATED") << QStringLiteral("SIZE");
    table.addRow(header);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const auto &row : shown) {
        QStringList cells{row.repository, row.tag};
        if (digests) {
            QString digest = QStringLiteral("<none>");
            for (const QString &rd : row.repoDigests) {
                if (rd.startsWith(row.repository + u'@'))
                    digest = rd.mid(rd.indexOf(u'@') + 1);
            }
            cells << digest;
        }
        cells << imageIdText(row.id, noTrunc)
              << (row.created.isValid() ? format::timeAgo(row.created, now) : QStringLiteral("N/A")) << format::humanSize(row.size);
        table.addRow(cells);
    }
    ctx.out() << table.render();
    return kExitOk;
}

int runTag(Context &ctx, const ParsedArgs &args)
{
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    if (auto st = engine->tagImage(args.positional[0], args.positional[1]); !st)
        return ctx.fail(st.error());
    return kExitOk;
}

void declareRmi(ArgParser &p)
{
    p.addFlag({QStringLiteral("force"), u'f', FlagSpec::Bool, {}, {}, QStringLiteral("Force removal of the image")});
    p.addFlag({QStringLiteral("no-prune"), QChar(), FlagSpec::Bool, {}, {}, QStringLiteral("Do not delete untagged parents")});
}

int runRmi(Context &ctx, const ParsedArgs &args)
{
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    int rc = kExitOk;
    for (const QString &name : args.positional) {
        auto events = engine->removeImage(name, args.boolValue(QStringLiteral("force")));
        if (!events) {
            ctx.fail(events.error());
            rc = kExitFailure;
            continue;
        }
        for (const auto &e : *events)
            ctx.out() << (e.kind == service::RemoveEvent::Untagged ? "Untagged: " : "Deleted: ") << e.what << '\n';
    }
    return rc;
}

// docker/cli's history CreatedAt: time.Unix(created, 0).Format(time.RFC3339),
// local time, whole seconds, "Z" only when the local offset is zero. A
// missing date is Unix time 0, as the API reports it.
QString createdAt(const QDateTime &created)
{
    const QDateTime local = (created.isValid() ? created : QDateTime::fromSecsSinceEpoch(0, Qt::UTC)).toLocalTime();
    const int offset = local.offsetFromUtc();
    QString zone = QStringLiteral("Z");
    if (offset != 0) {
        const int minutes = std::abs(offset) / 60;
        zone = QStringLiteral("%1%2:%3").arg(QChar(offset < 0 ? u'-' : u'+')).arg(minutes / 60, 2, 10, QLatin1Char('0'))
                   .arg(minutes % 60, 2, 10, QLatin1Char('0'));
    }
    return local.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")) + zone;
}

// docker/cli's CreatedSince for history: empty for dates before 2000.
QString createdSince(const QDateTime &created, const QDateTime &now)
{
    if (!created.isValid() || created <= QDateTime(QDate(2000, 1, 1), QTime(0, 0), Qt::UTC))
        return QString();
    return format::timeAgo(created, now);
}

void declareHistory(ArgParser &p)
{
    p.addFlag({QStringLiteral("human"), u'H', FlagSpec::Bool, QStringLiteral("true"), {},
               QStringLiteral("Print sizes and dates in human readable format")});
    p.addFlag({QStringLiteral("no-trunc"), QChar(), FlagSpec::Bool, {}, {}, QStringLiteral("Don't truncate output")});
    p.addFlag({QStringLiteral("quiet"), u'q', FlagSpec::Bool, {}, {}, QStringLiteral("Only show image IDs")});
}

int runHistory(Context &ctx, const ParsedArgs &args)
{
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    auto rows = engine->history(args.positional[0]);
    if (!rows)
        return ctx.fail(rows.error());
    const bool human = args.boolValue(QStringLiteral("human"));
    const bool noTrunc = args.boolValue(QStringLiteral("no-trunc"));
    auto idText = [&](const QString &id) {
        if (noTrunc || id.startsWith(u'<'))
            return id;
        return format::shortId(id);
    };
    if (args.boolValue(QStringLiteral("quiet"))) {
        for (const auto &row : *rows)
            ctx.out() << idText(row.imageId) << '\n';
        return kExitOk;
    }
    format::TableWriter table;
    table.addRow({QStringLiteral("IMAGE"), human ? QStringLiteral("CREATED") : QStringLiteral("CREATED AT"),
                  QStringLiteral("CREATED BY"), QStringLiteral("SIZE"), QStringLiteral("COMMENT")});
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const auto &row : *rows) {
        // Docker folds tabs and cuts at 45 columns; newlines are folded too
        // here, where docker would break its own table.
        QString createdBy = row.createdBy;
        createdBy.replace(u'\t', u' ').replace(u'\n', u' ');
        if (!noTrunc)
            createdBy = format::ellipsis(createdBy, 45);
        table.addRow({idText(row.imageId), human ? createdSince(row.created, now) : createdAt(row.created), createdBy,
                      human ? format::humanSize(row.size) : QString::number(row.size), row.comment});
    }
    ctx.out() << table.render();
    return kExitOk;
}

} // namespace

QList<Command> imageCommands()
{
    return {
        {QStringLiteral("images"), QStringLiteral("List images"), QStringLiteral("porthole images [OPTIONS] [REPOSITORY[:TAG]]"),
         declareImages, runImages, 0, 1},
        {QStringLiteral("tag"), QStringLiteral("Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE"),
         QStringLiteral("porthole tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]"), nullptr, runTag, 2, 2},
        {QStringLiteral("rmi"), QStringLiteral("Remove one or more images"), QStringLiteral("porthole rmi [OPTIONS] IMAGE [IMAGE...]"),
         declareRmi, runRmi, 1, -1},
        {QStringLiteral("history"), QStringLiteral("Show the history of an image"), QStringLiteral("porthole history [OPTIONS] IMAGE"),
         declareHistory, runHistory, 1, 1},
        importCommand(),
        inspectCommand(),
    };
}

} // namespace porthole::cli
