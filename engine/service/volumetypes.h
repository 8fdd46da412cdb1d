// One named volume, as `volume ls` and `volume inspect` show it. Plain
// value type; safe to copy across threads.
#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>

namespace porthole::service {

// One named volume (`volume ls`, `volume inspect`): ROOT/volumes/<name>/_data.
struct VolumeRow {
    QString name;
    QString mountpoint;  // the _data directory containers mount
    QString driver = QStringLiteral("local");
    QDateTime created;   // the volume directory's birth time (its mtime where the file system has none)
    qint64 size = 0;     // bytes of file content under _data (hard links once, symlinks not followed)
    QStringList containers; // names of the containers that mount it, sorted
};

} // namespace porthole::service
