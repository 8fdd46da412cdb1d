// Shared by the image verb tests (tst_imagecommands: images, tag, rmi;
// tst_imageinspect: inspect and history; tst_cliverbs: the system verbs,
// the CLI's errors and help): a fresh store per test, the porthole binary
// run on it, a standard rootfs to import, and docker's table parsed.
#pragma once

#include "support/testsupport.h"
#include "support/ustarwriter.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <memory>

namespace porthole::test::imagecommands {

// Files, directories, a symlink and a Korean name; 9 + 1048576 + 10 bytes
// of file content, which docker prints as "1.05MB".
inline QByteArray rootfsTar(const QByteArray &extra = {})
{
    QByteArray big(1 << 20, '\0');
    for (qsizetype i = 0; i < big.size(); ++i)
        big[i] = char((i * 7919) >> 3);
    UstarWriter w;
    w.dir(QStringLiteral("etc/"));
    w.file(QStringLiteral("etc/hostname"), "porthole\n");
    w.symlink(QStringLiteral("etc/link"), QStringLiteral("hostname"));
    w.dir(QStringLiteral("app/"));
    w.file(QStringLiteral("app/data.bin"), big);
    w.dir(QStringLiteral("home/"));
    w.file(QStringLiteral("home/안녕하세요.txt"), QStringLiteral("한국어\n").toUtf8());
    if (!extra.isEmpty())
        w.file(QStringLiteral("extra"), extra);
    return w.finish();
}
constexpr qint64 kRootfsBytes = 9 + (1 << 20) + 10;

inline QString sha256(const QByteArray &data)
{
    return QStringLiteral("sha256:") + QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

inline QString text(const QByteArray &b) { return QString::fromUtf8(b); }
inline QStringList lines(const QByteArray &b) { return text(b).split(u'\n', Qt::SkipEmptyParts); }

// A docker table cut into cells at the header's column starts, after
// checking Go's tabwriter rule: each column but the last is as wide as its
// widest cell plus 3, and at least 10.
inline QList<QStringList> parseTable(const QByteArray &out)
{
    const QStringList rows = lines(out);
    if (rows.isEmpty())
        return {};
    const QString &header = rows.first();
    QList<qsizetype> starts{0};
    static const QRegularExpression gap(QStringLiteral(" {3,}"));
    for (auto it = gap.globalMatch(header); it.hasNext();)
        starts.append(it.next().capturedEnd());
    QList<QStringList> table;
    for (const QString &row : rows) {
        QStringList cells;
        for (qsizetype c = 0; c < starts.size(); ++c) {
            const qsizetype end = c + 1 < starts.size() ? starts[c + 1] : row.size();
            if (c + 1 < starts.size() && end <= row.size() && row[end - 1] != u' ')
                return {{QStringLiteral("cell overflows its column in: ") + row}};
            cells.append(row.mid(starts[c], end - starts[c]).trimmed());
        }
        table.append(cells);
    }
    for (qsizetype c = 0; c + 1 < starts.size(); ++c) {
        qsizetype widest = 0;
        for (const QStringList &cells : table)
            widest = std::max(widest, cells[c].size());
        if (starts[c + 1] - starts[c] != std::max<qsizetype>(10, widest + 3))
            return {{QStringLiteral("column %1 is %2 wide, expected max(10, %3 + 3)").arg(c).arg(starts[c + 1] - starts[c]).arg(widest)}};
    }
    return table;
}

class ImageCommandsFixture {
protected:
    // init(): a fresh store per test. cleanup(): tearDown().
    void setUp()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_env = QProcessEnvironment::systemEnvironment();
        m_env.insert(QStringLiteral("PORTHOLE_NO_DEMO"), QStringLiteral("1"));
        m_env.insert(QStringLiteral("TZ"), QStringLiteral("UTC"));
    }
    void tearDown() { m_dir.reset(); }

    std::unique_ptr<QTemporaryDir> m_dir;
    QProcessEnvironment m_env;

    QString root() const { return m_dir->filePath(QStringLiteral("store")); }
    QString blobDir() const { return root() + QStringLiteral("/blobs/sha256"); }

    RunResult run(const QStringList &args, const QByteArray &input = {})
    {
        return runPorthole(root(), args, input, 60000, m_env);
    }

    QString writeFile(const QString &name, const QByteArray &data)
    {
        const QString path = m_dir->filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    // Imports the standard rootfs; returns the image ID printed, or "" on failure.
    QString importRootfs(const QStringList &extraArgs = {}, const QString &ref = {}, const QByteArray &extra = {})
    {
        const QString tar = writeFile(QStringLiteral("rootfs.tar"), rootfsTar(extra));
        QStringList args{QStringLiteral("import")};
        args << extraArgs << tar;
        if (!ref.isEmpty())
            args << ref;
        const RunResult r = run(args);
        if (r.exitCode != 0) {
            qWarning("import failed: %s", r.err.constData());
            return {};
        }
        return text(r.out).trimmed();
    }

    QJsonObject inspect(const QString &name)
    {
        const RunResult r = run({QStringLiteral("inspect"), name});
        return QJsonDocument::fromJson(r.out).array().first().toObject();
    }

    QStringList blobs() const { return QDir(blobDir()).entryList(QDir::Files); }
    QStringList quietIds() { return lines(run({QStringLiteral("images"), QStringLiteral("-q")}).out); }
};

} // namespace porthole::test::imagecommands
