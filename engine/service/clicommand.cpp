#include "service/clicommand.h"

#include "container/runflags.h"

#include <QRegularExpression>

namespace porthole::service {

QString shellQuote(const QString &word)
{
    static const QRegularExpression safe(QStringLiteral("^[A-Za-z0-9_@%+=:,./-]+$"));
    if (safe.match(word).hasMatch())
        return word;
    QString quoted = word;
    quoted.replace(u'\'', QStringLiteral("'\\''"));
    return u'\'' + quoted + u'\'';
}

QString shellJoin(const QStringList &words)
{
    QStringList quoted;
    for (const QString &w : words)
        quoted.append(shellQuote(w));
    return quoted.join(u' ');
}

namespace {

const QString kPorthole = QStringLiteral("porthole");

void addOption(QStringList &words, const QString &flag, const QString &value)
{
    if (!value.isEmpty())
        words << flag << value;
}

void addOptions(QStringList &words, const QString &flag, const QStringList &values)
{
    for (const QString &v : values)
        words << flag << v;
}

void addInsecure(QStringList &words, const QStringList &insecureRegistries)
{
    // The CLI's switch is per command, not per host: any host means false.
    if (!insecureRegistries.isEmpty())
        words << QStringLiteral("--tls-verify=false");
}

} // namespace

QString cliCommand(const PullRequest &request)
{
    QStringList words{kPorthole, QStringLiteral("pull")};
    addOption(words, QStringLiteral("--platform"), request.platform);
    addInsecure(words, request.insecureRegistries);
    words << request.reference;
    return shellJoin(words);
}

QString cliCommand(const PushRequest &request)
{
    QStringList words{kPorthole, QStringLiteral("push")};
    if (request.compression != QLatin1String("gzip"))
        words << QStringLiteral("--compression-format") << request.compression;
    addInsecure(words, request.insecureRegistries);
    words << request.reference;
    return shellJoin(words);
}

QString cliCommand(const ImportRequest &request)
{
    QStringList words{kPorthole, QStringLiteral("import")};
    addOptions(words, QStringLiteral("--change"), request.changes);
    addOption(words, QStringLiteral("--message"), request.message);
    addOption(words, QStringLiteral("--platform"), request.platform);
    words << request.sourcePath;
    if (!request.reference.isEmpty())
        words << request.reference;
    return shellJoin(words);
}

QString cliCommand(const CommitRequest &request)
{
    QStringList words{kPorthole, QStringLiteral("commit")};
    addOption(words, QStringLiteral("--author"), request.author);
    addOption(words, QStringLiteral("--message"), request.message);
    addOptions(words, QStringLiteral("--change"), request.changes);
    if (!request.pause)
        words << QStringLiteral("--pause=false");
    if (request.compression != QLatin1String("gzip"))
        words << QStringLiteral("--compression") << request.compression;
    words << request.container;
    if (!request.reference.isEmpty())
        words << request.reference;
    return shellJoin(words);
}

QString cliCommand(const CreateRequest &request)
{
    QStringList words{kPorthole, QStringLiteral("run"), QStringLiteral("-d")};
    words << container::runFlagWords(request) << request.image << request.command;
    return shellJoin(words);
}

QString cliCommand(const SaveRequest &request)
{
    QStringList words{kPorthole, QStringLiteral("save")};
    if (request.format != QLatin1String("docker-archive"))
        words << QStringLiteral("--format") << request.format;
    if (!request.outputPath.isEmpty() && request.outputPath != QLatin1String("-"))
        words << QStringLiteral("-o") << request.outputPath;
    return shellJoin(words << request.images);
}

QString cliCommand(const ExportRequest &request)
{
    QStringList words{kPorthole, QStringLiteral("export")};
    if (!request.outputPath.isEmpty() && request.outputPath != QLatin1String("-"))
        words << QStringLiteral("-o") << request.outputPath;
    return shellJoin(words << request.container);
}

QString loadCommand(const QString &path)
{
    return shellJoin({kPorthole, QStringLiteral("load"), QStringLiteral("-i"), path});
}

QString historyCommand(const QString &image, bool noTrunc)
{
    QStringList words{kPorthole, QStringLiteral("history")};
    if (noTrunc)
        words << QStringLiteral("--no-trunc");
    return shellJoin(words << image);
}

QString diffCommand(const QString &container)
{
    return shellJoin({kPorthole, QStringLiteral("diff"), container});
}

QString volumeListCommand()
{
    return shellJoin({kPorthole, QStringLiteral("volume"), QStringLiteral("ls")});
}

QString cliCommand(const PruneRequest &r)
{
    const bool images = r.images || r.allImages;
    if (r.containers && images) {
        QStringList words{kPorthole, QStringLiteral("system"), QStringLiteral("prune"), QStringLiteral("-f")};
        if (r.allImages)
            words << QStringLiteral("-a");
        if (r.volumes)
            words << QStringLiteral("--volumes");
        return shellJoin(words);
    }
    QStringList commands;
    if (r.containers)
        commands << shellJoin({kPorthole, QStringLiteral("container"), QStringLiteral("prune"), QStringLiteral("-f")});
    if (r.volumes)
        commands << shellJoin({kPorthole, QStringLiteral("volume"), QStringLiteral("prune"), QStringLiteral("-f")});
    if (images) {
        QStringList words{kPorthole, QStringLiteral("image"), QStringLiteral("prune"), QStringLiteral("-f")};
        if (r.allImages)
            words << QStringLiteral("-a");
        commands << shellJoin(words);
    }
    return commands.join(QStringLiteral(" && "));
}

QString logsCommand(const QString &container, int tailLines)
{
    QStringList words{kPorthole, QStringLiteral("logs")};
    if (tailLines >= 0)
        words << QStringLiteral("--tail") << QString::number(tailLines);
    return shellJoin(words << container);
}

QString loginCommand(const QString &registry, const QString &username, bool insecure)
{
    QStringList words{kPorthole, QStringLiteral("login")};
    addOption(words, QStringLiteral("--username"), username);
    words << QStringLiteral("--password-stdin");
    if (insecure)
        words << QStringLiteral("--tls-verify=false");
    if (!registry.isEmpty())
        words << registry;
    return shellJoin(words);
}

QString tagCommand(const QString &source, const QString &target)
{
    return shellJoin({kPorthole, QStringLiteral("tag"), source, target});
}

QString removeImageCommand(const QString &image, bool force)
{
    QStringList words{kPorthole, QStringLiteral("rmi")};
    if (force)
        words << QStringLiteral("-f");
    return shellJoin(words << image);
}

QString containerCommand(const QString &verb, const QString &container, bool force)
{
    QStringList words{kPorthole, verb};
    if (force)
        words << QStringLiteral("-f");
    return shellJoin(words << container);
}

} // namespace porthole::service
