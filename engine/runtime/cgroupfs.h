// Reading and writing cgroup control files: small, read to their end,
// written with one write(2) as the kernel expects. Used by Cgroup and by the
// limits it applies. Blocking file I/O; any thread.
#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QString>

namespace porthole::runtime::cgroupfs {

Result<QByteArray> readFile(const QString &path);
Status writeFile(const QString &path, const QByteArray &data);
bool exists(const QString &path);
// A number, "max" or a missing file (the kernel does not account for it): -1.
Result<qint64> readNumber(const QString &path);
// Value of `key` in a flat-keyed file such as cgroup.events or cpu.stat; -1
// when it is not there.
qint64 keyedValue(const QByteArray &data, const QByteArray &key);

} // namespace porthole::runtime::cgroupfs
