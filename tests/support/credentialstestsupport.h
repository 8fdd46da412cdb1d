// Shared by the credential tests (tst_credentiallookup, tst_credentiallogin):
// a docker config.json and two containers auth.json files in a fresh
// temporary directory per test, and credential helpers that are shell
// scripts written into a temporary directory put first on PATH. "fake" keeps
// its entries in files (keyed by a hash of the server URL) and logs each
// call; "broken", "garbage", "leaky" and "slow" fail in their own ways.
#pragma once

#include "registry/credentials.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>
#include <sys/stat.h>

namespace porthole::test::credentials {

// Plain literals: moc mis-lexes a raw string holding shell quoting.
inline const char *kFakeHelper =
    "#!/bin/sh\n"
    "dir=$(dirname \"$0\")\n"
    "input=$(cat)\n"
    "printf '%s %s\\n' \"$1\" \"$input\" >> \"$dir/helper.log\"\n"
    "case \"$1\" in\n"
    "store)\n"
    "    url=$(printf %s \"$input\" | sed -n 's/.*\"ServerURL\":\"\\([^\"]*\\)\".*/\\1/p')\n"
    "    key=$(printf %s \"$url\" | sha256sum | cut -c1-16)\n"
    "    printf %s \"$input\" > \"$dir/db/$key\"\n"
    "    exit 0 ;;\n"
    "get|erase) key=$(printf %s \"$input\" | sha256sum | cut -c1-16) ;;\n"
    "*) exit 2 ;;\n"
    "esac\n"
    "if [ ! -f \"$dir/db/$key\" ]; then echo \"credentials not found in native keychain\"; exit 1; fi\n"
    "if [ \"$1\" = erase ]; then rm \"$dir/db/$key\"; exit 0; fi\n"
    "cat \"$dir/db/$key\"\n";

inline QByteArray b64(const QByteArray &s) { return s.toBase64(); }

// Fills %1.. in a JSON template (QString::arg, so '%' stays out of the JSON).
inline QByteArray fill(const char *tmpl, const QList<QByteArray> &args = {})
{
    QString s = QString::fromUtf8(tmpl);
    for (const QByteArray &a : args)
        s = s.arg(QString::fromUtf8(a));
    return s.toUtf8();
}

// Writes (replaces) a file, making its directory; a failure fails the test.
inline void writeFile(const QString &path, const QByteArray &data)
{
    QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(data), data.size());
}

inline QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline QJsonObject readJson(const QString &path) { return QJsonDocument::fromJson(readFile(path)).object(); }

inline int modeOf(const QString &path)
{
    struct stat st {};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 07777) : -1;
}

inline QString describe(const std::optional<registry::Credential> &c)
{
    if (!c)
        return QStringLiteral("none");
    return c->username + u'/' + c->secret + (c->isIdentityToken ? QStringLiteral(" (token)") : QString());
}

// The files and helpers; a test class derives from it (after QObject) and
// calls installHelpers() from initTestCase() and freshWorkDir() from init().
class CredentialFixture {
protected:
    QString dockerPath() const { return m_work->filePath(QStringLiteral("docker/config.json")); }
    QString authPath(int i) const { return m_work->filePath(QStringLiteral("auth%1/auth.json").arg(i)); }
    registry::CredentialStore makeStore() const
    {
        return registry::CredentialStore::fromFiles(dockerPath(), {authPath(1), authPath(2)});
    }
    QString helperLog() const { return QString::fromUtf8(readFile(m_bin.filePath(QStringLiteral("helper.log")))); }

    // Gives the fake helper an entry for serverUrl.
    void seedHelper(const QString &serverUrl, const QByteArray &json)
    {
        const QByteArray key = QCryptographicHash::hash(serverUrl.toUtf8(), QCryptographicHash::Sha256).toHex().left(16);
        writeFile(m_bin.filePath(QStringLiteral("db/") + QString::fromLatin1(key)), json);
    }

    void installScript(const QString &name, const QByteArray &body)
    {
        const QString path = m_bin.filePath(name);
        writeFile(path, body);
        QVERIFY(QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
    }

    void installHelpers()
    {
        QVERIFY(m_bin.isValid());
        installScript(QStringLiteral("docker-credential-fake"), kFakeHelper);
        installScript(
            QStringLiteral("docker-credential-broken"), "#!/bin/sh\ncat >/dev/null\necho 'keyring is locked'\nexit 3\n");
        installScript(QStringLiteral("docker-credential-garbage"), "#!/bin/sh\ncat >/dev/null\necho 'not json'\n");
        installScript(QStringLiteral("docker-credential-leaky"),
                      "#!/bin/sh\ncat >/dev/null\necho '{\"Username\":\"u\",\"Secret\":\"hunter2\"}'\nexit 1\n");
        installScript(QStringLiteral("docker-credential-slow"), "#!/bin/sh\nexec sleep 5\n");
        qputenv("PATH", QFile::encodeName(m_bin.path()) + ':' + qgetenv("PATH"));
    }

    void freshWorkDir()
    {
        m_work = std::make_unique<QTemporaryDir>();
        QVERIFY(m_work->isValid());
        QFile::remove(m_bin.filePath(QStringLiteral("helper.log")));
        QDir(m_bin.filePath(QStringLiteral("db"))).removeRecursively();
        QVERIFY(QDir().mkpath(m_bin.filePath(QStringLiteral("db"))));
    }

    QTemporaryDir m_bin;
    std::unique_ptr<QTemporaryDir> m_work;
};

} // namespace porthole::test::credentials
