// The flags of `run` and `create`, one row each: the name, shorthand, help
// and value check the CLI parses (docker's, with pflag's kinds), how a given
// value sets the CreateRequest, and the words that give a request's value
// back (the `porthole run -d …` line the window shows for what a click
// does). One table, so parsing and showing a flag cannot drift apart.
//
// Adding a run flag: a field in ContainerOptions (core/containeroptions.h),
// a row here, the place that applies it (create.cpp, the shim's runtime
// spec, stop, …), and a test. Pure data and functions; any thread.
#pragma once

#include "container/requests.h"
#include "core/result.h"

#include <QChar>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace porthole::container {

struct RunFlag {
    enum Kind {
        Bool,       // never takes the next word
        String,     // the last one given wins
        StringList, // repeatable (-e A -e B), in order
        Int,        // a decimal integer, as the parser normalizes it
    };
    QString longName;
    QChar shortName;          // null: none
    Kind kind = Bool;
    QString defaultValue;     // as a user would type it, shown in help
    QString valueName;        // shown in help ("bytes", "list"); empty: by kind
    QString help;
    // A value's check as it is parsed (pflag's Value.Set); empty: any.
    std::function<Status(const QString &)> check;
    // Sets the request from the values given, normalized ("true"/"false"
    // for Bool, decimal for Int), in order. Called only for a flag given.
    std::function<void(CreateRequest &, const QStringList &)> apply;
    // The words that give the request's value back; none at the default.
    std::function<QStringList(const CreateRequest &)> words;
    // `update` takes it too (without its default).
    bool alsoUpdate = false;
};

// In the order the command line shows them.
const QList<RunFlag> &runFlags();

// `-i -t --name web … -m 512m` for a request: every flag away from its
// default, in the table's order (the image and command not included).
QStringList runFlagWords(const CreateRequest &request);

} // namespace porthole::container
