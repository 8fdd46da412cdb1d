#include "cli/context.h"

#include <cstdio>
#include <unistd.h>

namespace porthole::cli {

Context::Context(QString root) : m_root(std::move(root)), m_out(stdout), m_err(stderr) {}

bool Context::stdoutIsTerminal() const { return ::isatty(STDOUT_FILENO) == 1; }

Result<service::Engine *> Context::engine()
{
    if (!m_engine) {
        service::EngineOptions options;
        options.root = m_root;
        options.seedDemoImage = qEnvironmentVariableIsEmpty("PORTHOLE_NO_DEMO");
        PH_TRY(auto engine, service::Engine::open(options));
        m_engine = std::move(engine);
    }
    return m_engine.get();
}

int Context::fail(const Error &error, int exitCode)
{
    m_out.flush();
    m_err << "Error: " << error.message << Qt::endl;
    return exitCode;
}

static QString countWords(int n, const char *one)
{
    return QStringLiteral("%1 %2%3").arg(n).arg(QLatin1String(one)).arg(n == 1 ? "" : "s");
}

int runCommand(Context &ctx, const Command &command, const QStringList &args)
{
    ArgParser parser;
    parser.addFlag({QStringLiteral("help"), QChar(), FlagSpec::Bool, {}, {}, QStringLiteral("Print usage"), true});
    if (command.declare)
        command.declare(parser);
    parser.setInterspersed(command.interspersed);
    const QString usageLine = command.usage.mid(command.usage.indexOf(u' ') + 1);
    auto parsed = parser.parse(args);
    if (!parsed) {
        ctx.err() << parsed.error().message << "\nSee 'porthole " << command.name << " --help'.\n";
        ctx.err().flush();
        return kExitUsage;
    }
    if (parsed->helpRequested || parsed->boolValue(QStringLiteral("help"))) {
        ctx.out() << parser.helpText(command.usage, command.details.isEmpty()
                                         ? command.summary : command.summary + QStringLiteral("\n\n") + command.details);
        ctx.out().flush();
        return kExitOk;
    }
    const int n = int(parsed->positional.size());
    const bool tooFew = n < command.minArgs;
    const bool tooMany = command.maxArgs >= 0 && n > command.maxArgs;
    if (tooFew || tooMany) {
        QString need;
        if (command.minArgs == command.maxArgs)
            need = QStringLiteral("exactly %1").arg(countWords(command.minArgs, "argument"));
        else if (tooFew)
            need = QStringLiteral("at least %1").arg(countWords(command.minArgs, "argument"));
        else
            need = QStringLiteral("at most %1").arg(countWords(command.maxArgs, "argument"));
        if (command.maxArgs == 0)
            need = QStringLiteral("no arguments");
        ctx.err() << "\"porthole " << command.name << "\" " << (command.maxArgs == 0 ? "accepts " : "requires ") << need
                  << ".\nSee 'porthole " << command.name << " --help'.\n\nUsage:  " << command.usage << "\n\n"
                  << command.summary << "\n";
        ctx.err().flush();
        return kExitFailure;
    }
    const int rc = command.run(ctx, *parsed);
    ctx.out().flush();
    ctx.err().flush();
    return rc;
}

} // namespace porthole::cli
