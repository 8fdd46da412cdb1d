// Shared by the image JSON tests (tst_ocijsonmanifest, tst_ocijsonconfig):
// the digests their fixtures use, placeholders for them, and comparing JSON.
#pragma once

#include "core/jsonobject.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

namespace porthole::test {

inline const QString kConfig = QStringLiteral("sha256:b79606fb3afea5bd1609ed40b622142f1c98125abcfe89a76a661b0e8e343910");
inline const QString kLayer1 = QStringLiteral("sha256:77ea7eee3d80b1a38f83906dd3048e2689457eb90e18a7d12f839c5ae37106a2");
inline const QString kLayer2 = QStringLiteral("sha256:95cf1a2e1698fe3ca1fcc3f653119146b271d0b62e487ec264441e886a11bd06");
inline const QString kAmd64 = QStringLiteral("sha256:5861314d7fccb39c2192173240eab44fa35ca66426201ca2acd0630a6258dd51");
inline const QString kArm64 = QStringLiteral("sha256:f69162950f235e3cdbbad33f1f912d1a504be90d8a37d002c735d6f3e3882265");
inline const QString kDiff1 = QStringLiteral("sha256:0697c0f434f8672811eb1b52d443d0d4cb616fa58e4d10b25e91471b7f45a665");
inline const QString kDiff2 = QStringLiteral("sha256:a9485d17c39b521f9de31b558df98f81dd72a9c7498f57f27b74356ea150fbd9");

// Placeholders @C @L1 @L2 @A @R @D1 @D2 keep the fixtures readable.
inline QByteArray fixture(const char *text)
{
    using namespace Qt::StringLiterals;
    QString s = QString::fromUtf8(text);
    s.replace(u"@C"_s, kConfig).replace(u"@L1"_s, kLayer1).replace(u"@L2"_s, kLayer2);
    s.replace(u"@A"_s, kAmd64).replace(u"@R"_s, kArm64).replace(u"@D1"_s, kDiff1).replace(u"@D2"_s, kDiff2);
    return s.toUtf8();
}

inline QJsonObject object(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

} // namespace porthole::test

// Compares as compact sorted JSON so a failure prints both documents.
#define COMPARE_JSON(actual, expected) QCOMPARE(json::compact(actual), json::compact(expected))
