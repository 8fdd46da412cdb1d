// Archives of each shape the archive probe (engine/archive/archiveprobe.h)
// tells apart, written by hand, and a way to write them to a file, plain or
// compressed. Shared by the probe's test and the window's drop test.
#pragma once

#include "support/testsupport.h"
#include "support/ustarwriter.h"

#include <QByteArray>
#include <QFile>
#include <QString>

namespace porthole::test {

inline const QString kBlobHex = QString(64, u'a');

// The shapes of the archives the probe tells apart, written by hand.
inline QByteArray legacyDockerArchive()
{
    UstarWriter w;
    w.dir(kBlobHex + u'/');
    w.file(kBlobHex + QStringLiteral("/layer.tar"), QByteArray(2048, '\0'));
    w.file(kBlobHex + QStringLiteral(".json"), "{}");
    w.file(QStringLiteral("manifest.json"), "[]");
    w.file(QStringLiteral("repositories"), "{}");
    return w.finish();
}

// docker 25 writes its blobs first and manifest.json after index.json.
inline QByteArray docker25Archive()
{
    UstarWriter w;
    w.dir(QStringLiteral("blobs/"));
    w.dir(QStringLiteral("blobs/sha256/"));
    w.file(QStringLiteral("blobs/sha256/") + kBlobHex, "x");
    w.file(QStringLiteral("index.json"), "{}");
    w.file(QStringLiteral("manifest.json"), "[]");
    w.file(QStringLiteral("oci-layout"), "{}");
    return w.finish();
}

inline QByteArray ociArchive()
{
    UstarWriter w;
    w.file(QStringLiteral("oci-layout"), "{}");
    w.file(QStringLiteral("index.json"), "{}");
    w.dir(QStringLiteral("blobs/"));
    w.dir(QStringLiteral("blobs/sha256/"));
    w.file(QStringLiteral("blobs/sha256/") + kBlobHex, "x");
    return w.finish();
}

inline QByteArray rootfsTarball(const QString &prefix = QStringLiteral("./"))
{
    UstarWriter w;
    w.dir(prefix);
    w.dir(prefix + QStringLiteral("bin/"));
    w.file(prefix + QStringLiteral("bin/hello"), "#!/bin/sh\necho hello\n");
    w.dir(prefix + QStringLiteral("etc/"));
    w.file(prefix + QStringLiteral("etc/os-release"), "NAME=dropped\n");
    return w.finish();
}

// Compresses in place with the gzip or zstd program (the file gets its
// suffix); the probe reads either. Returns the path, or empty on failure.
inline QString compress(const QString &path, const QString &compressor)
{
    if (compressor.isEmpty())
        return path;
    const auto r = runProgram(compressor, {QStringLiteral("-q"), QStringLiteral("-f"), path});
    const QString out = path + (compressor == QLatin1String("gzip") ? QStringLiteral(".gz") : QStringLiteral(".zst"));
    QFile::remove(path);
    return r.exitCode == 0 && QFile::exists(out) ? out : QString();
}

inline QString writeArchive(const QString &path, const QByteArray &tar, const QString &compressor = {})
{
    return writeFile(path, tar) ? compress(path, compressor) : QString();
}

} // namespace porthole::test
