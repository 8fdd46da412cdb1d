// Flag parsing for the docker-compatible verbs. Docker's CLI is cobra on top of
// spf13/pflag; scripts written for docker depend on pflag's exact rules (bool
// flags never eat the next word, `-it` clusters, `-nvalue`, `--` ends flags) and
// users grep for its error sentences, so both are reproduced here rather than
// using QCommandLineParser, whose rules differ.
//
// Value types, no threads, no I/O: the caller prints errors and help.
#pragma once

#include "core/result.h"

#include <QChar>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace porthole::cli {

// One flag of a verb, e.g. {"all", 'a', FlagSpec::Bool, {}, {}, "Show all images"}.
struct FlagSpec {
    enum Kind {
        Bool,       // never takes the next word; `--x=false` / `-x=false` to unset
        String,     // last occurrence wins
        StringList, // repeatable (`-e A -e B`), no comma splitting: pflag's StringArray
        Int,        // Go's strconv.ParseInt(s, 0, 64): 0x/0o/0b prefixes, `_` separators
    };

    QString longName;
    QChar shortName;      // null: no shorthand
    Kind kind = Bool;
    QString defaultValue; // as a user would type it; empty means false / "" / 0 / none
    QString valueName;    // shown in help ("  -f, --filter filter"); empty: by kind
    QString help;
    bool hidden = false;  // accepted but not listed in helpText
    // For String and StringList flags: pflag's Value.Set, which refuses a
    // value with its own message ("invalid size: 'x'"), printed after
    // `invalid argument "x" for "-m, --memory" flag: `.
    std::function<Status(const QString &)> check = {};
};

// The outcome of one successful parse. Accessors take the long name; asking
// for a name that was never declared yields false / "" / 0 / {}.
class ParsedArgs {
public:
    bool isSet(const QString &name) const { return m_given.contains(name); }
    bool boolValue(const QString &name) const;
    QString value(const QString &name) const;      // last given value, else the default
    QStringList values(const QString &name) const; // every given value in order (any kind), else the default
    qint64 intValue(const QString &name) const;

    QStringList positional;
    // Number of positional arguments seen before a `--`, or -1 if there was none
    // (cobra's ArgsLenAtDash, used by verbs that treat `--` specially).
    int argsLenAtDash = -1;
    // `--help`, or `-h` when no flag owns that shorthand, was given and the
    // verb did not declare it: pflag stops there (ErrHelp); the verb should
    // print helpText() and exit 0. Flags after it are not parsed.
    bool helpRequested = false;

private:
    friend class ArgParser;
    QHash<QString, QString> m_defaults;   // long name -> normalized default
    QHash<QString, QStringList> m_given;  // long name -> normalized values, in order
};

class ArgParser {
public:
    // Declaring the same long or short name twice is a programming error
    // (pflag panics); here it asserts in debug builds and the later one is ignored.
    ArgParser &addFlag(const FlagSpec &spec);

    // false for verbs like `run IMAGE [COMMAND] [ARG...]`: everything from the
    // first positional argument on is positional (cobra's SetInterspersed(false)).
    void setInterspersed(bool interspersed) { m_interspersed = interspersed; }

    // Errors carry ErrorCode::InvalidArgument and pflag's exact message, e.g.
    // "unknown flag: --bogus", "flag needs an argument: 'n' in -n".
    Result<ParsedArgs> parse(const QStringList &args) const;

    // Docker's help layout: a leading blank line, "Usage:  <usageLine>", the
    // description, then "Options:" with visible flags sorted by long name and
    // aligned as pflag's FlagUsagesWrapped does. wrapColumns == 0 disables
    // wrapping (docker passes the terminal width minus one).
    QString helpText(const QString &usageLine, const QString &description,
                     int wrapColumns = 0) const;

    const QList<FlagSpec> &flags() const { return m_specs; }

private:
    const FlagSpec *findLong(const QString &name) const;
    const FlagSpec *findShort(QChar c) const;
    Status setValue(ParsedArgs &out, const FlagSpec &spec, const QString &value) const;
    // Both consume a value from args[next] when the flag needs one, and set
    // help instead of failing on an undeclared --help / -h.
    Status parseLong(ParsedArgs &out, const QString &arg, const QStringList &args,
                     qsizetype &next, bool &help) const;
    Status parseShorts(ParsedArgs &out, const QString &arg, const QStringList &args,
                       qsizetype &next, bool &help) const;

    QList<FlagSpec> m_specs;
    bool m_interspersed = true;
};

// Go's strconv.ParseBool and ParseInt(s, 0, 64), for verbs that parse values
// themselves (e.g. `--filter dangling=true`). The error message is Go's own,
// e.g. `strconv.ParseBool: parsing "x": invalid syntax`.
Result<bool> parseGoBool(const QString &s);
Result<qint64> parseGoInt(const QString &s);

// Go's %q for a string: double quotes, backslash escapes for quotes,
// backslashes and control characters; printable Unicode is kept as is.
QString goQuote(const QString &s);

} // namespace porthole::cli
