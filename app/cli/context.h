// What every CLI verb gets: the parsed global options, output streams and
// the engine, opened on first use (so `porthole version` needs no store).
// One per process, used on the main thread only.
#pragma once

#include "cli/args.h"
#include "core/result.h"
#include "service/engine.h"

#include <QTextStream>

#include <memory>

namespace porthole::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1; // a request failed (docker: daemon error)
inline constexpr int kExitUsage = 125; // bad flags, or the engine failed before a container ran

class Context {
public:
    explicit Context(QString root);

    QTextStream &out() { return m_out; }
    QTextStream &err() { return m_err; }
    const QString &root() const { return m_root; }
    bool stdoutIsTerminal() const;

    // Opens the store (and seeds the demo image on first use) if needed.
    Result<service::Engine *> engine();

    // Prints "Error: <message>" to stderr and returns the exit code.
    int fail(const Error &error, int exitCode = kExitFailure);

private:
    QString m_root;
    QTextStream m_out;
    QTextStream m_err;
    std::unique_ptr<service::Engine> m_engine;
};

// One verb: name, one-line summary, usage line, flags and the function.
struct Command {
    QString name;
    QString summary;
    QString usage;       // "porthole images [OPTIONS] [REPOSITORY[:TAG]]"
    void (*declare)(ArgParser &);
    int (*run)(Context &, const ParsedArgs &);
    int minArgs = 0;
    int maxArgs = -1;   // -1: unbounded
    bool interspersed = true;
    QString details;    // more paragraphs for --help only, after the summary (docker's Long)
};

// Parses a verb's arguments as docker does: --help prints help and exits 0,
// a flag error prints the message and "See '... --help'." and exits 125, a
// wrong argument count exits 1 with docker's sentence.
int runCommand(Context &ctx, const Command &command, const QStringList &args);

// The verbs, each defined beside its implementation.
QList<Command> imageCommands();
Command importCommand();
Command inspectCommand();
QList<Command> containerCommands();
Command logsCommand();
Command execCommand();
Command pullCommand();
QList<Command> registryCommands();
QList<Command> commitCommands();
QList<Command> saveCommands();
QList<Command> volumeCommands();
QList<Command> loadCommands();
QList<Command> copyCommands();
QList<Command> containerInfoCommands();
QList<Command> pruneCommands();
// The hidden `__shim ID --report-fd N [--wait-attach]` verb (runtime/shim.h).
int runShimCommand(Context &ctx, const QStringList &args);
QList<Command> systemCommands();

} // namespace porthole::cli

// CLI_TRY(ctx, auto x, expr): in a verb, on error print it and return its exit code.
#define CLI_TRY(ctx, decl, expr)                                                 \
    auto PH_CONCAT(cli_result_, __LINE__) = (expr);                              \
    if (!PH_CONCAT(cli_result_, __LINE__))                                       \
        return (ctx).fail(PH_CONCAT(cli_result_, __LINE__).error());             \
    decl = std::move(*PH_CONCAT(cli_result_, __LINE__))
