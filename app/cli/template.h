// The subset of Go templates that `inspect --format` scripts use most:
// literal text, {{.A.B}} and {{json .A.B}}, and the JSON docker prints.
// Anything else is a clear error, not a silent guess.
//
// Docker's output comes from Go: encoding/json writes struct fields in
// declaration order, map keys sorted, escapes <, > and & as \u003c..., and
// prints empty arrays as [] even when indenting; fmt prints a slice as
// "[a b]" and a map as "map[k:v]". QJsonObject keeps keys sorted only, so the
// caller says which objects are structs and in what order their fields go.
//
// Free functions; no threads, no I/O.
#pragma once

#include "core/result.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

#include <functional>

namespace porthole::cli {

// The struct field order of the object at `path` (field names joined by
// ".", array elements add nothing: "" is the top, "Config", "RootFS");
// empty for a Go map, whose keys are printed sorted. Keys an order does not
// list follow the listed ones, sorted.
using JsonFieldOrder = std::function<QStringList(const QString &path)>;

// encoding/json: json.Marshal (indent false) or json.MarshalIndent(v, "", "    ").
QString goJson(const QJsonValue &value, bool indent, const JsonFieldOrder &order = {});

// Renders the template against one object. Errors are InvalidArgument and
// name the offending action; a template that renders against one object
// renders against every object (only field lookups depend on the data).
Result<QString> renderTemplate(const QString &format, const QJsonObject &object, const JsonFieldOrder &order = {});

} // namespace porthole::cli
