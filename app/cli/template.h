// The subset of Go templates that `inspect --format` scripts use most:
// literal text, {{.A.B}} (strings bare, other values as JSON), and
// {{json .A.B}}. Anything else is a clear error, not a silent guess.
#pragma once

#include "core/result.h"

#include <QJsonObject>

namespace porthole::cli {

Result<QString> renderTemplate(const QString &format, const QJsonObject &object);

} // namespace porthole::cli
