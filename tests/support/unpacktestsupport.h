// Shared by the unpacker tests (tst_unpacker: entries and attributes,
// diff IDs, cancel; tst_unpackerwhiteouts: overlay form and mounted layers;
// tst_layerstore: the complete-marker protocol): compressing and unpacking
// in memory, reading back what was written, and unmounting on scope exit.
#pragma once

#include "core/bytestream.h"
#include "layer/compresssink.h"
#include "layer/unpacker.h"
#include "support/paxtarwriter.h"
#include "support/testsupport.h"

#include <QFile>
#include <QtTest>

#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/xattr.h>

namespace porthole::test::unpacking {

using namespace porthole::layer;

using porthole::test::TarEntry;
using porthole::test::buildTar;
using porthole::test::deviceEntry;
using porthole::test::dirEntry;
using porthole::test::fileEntry;
using porthole::test::hardlinkEntry;
using porthole::test::symlinkEntry;

using ArraySink = porthole::test::ByteArraySink;

inline QByteArray compress(const QByteArray &tar, Compression c)
{
    if (c == Compression::None)
        return tar;
    ArraySink sink;
    CompressSink cs(sink, c);
    if (!cs.write(tar.constData(), tar.size()) || !cs.finish())
        qFatal("compress failed");
    return sink.bytes;
}

inline Result<UnpackResult> unpack(const QByteArray &blob, const QString &target, const UnpackOptions &opts = {},
                            const CancelToken &cancel = CancelToken::none(), const ProgressSink &progress = {})
{
    MemorySource source(blob);
    return unpackLayer(source, target, opts, cancel, progress);
}

inline struct stat lstatOf(const QString &path)
{
    struct stat st {};
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        st.st_mode = 0;
    return st;
}

inline QByteArray xattrOf(const QString &path, const char *name)
{
    char buf[256];
    const ssize_t n = ::lgetxattr(QFile::encodeName(path).constData(), name, buf, sizeof buf);
    return n < 0 ? QByteArray() : QByteArray(buf, n);
}

inline QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline bool isWhiteout(const QString &path)
{
    const struct stat st = lstatOf(path);
    return S_ISCHR(st.st_mode) && st.st_rdev == 0;
}

// Unmounts on scope exit, also when a QVERIFY returns early.
struct MountGuard {
    QByteArray target;
    ~MountGuard()
    {
        if (!target.isEmpty())
            ::umount2(target.constData(), MNT_DETACH);
    }
};

#define VERIFY_OK(r) QVERIFY2((r), qPrintable((r) ? QString() : (r).error().message))

} // namespace porthole::test::unpacking
