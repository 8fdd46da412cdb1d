// Test fixture: a ustar archive written by hand, so tar fixtures owe nothing
// to the code under test (nor to the locale: names are raw UTF-8 bytes).
#pragma once

#include <QByteArray>
#include <QString>

#include <cstring>

namespace porthole::test {

class UstarWriter {
public:
    void dir(const QString &path) { entry(path, '5', 0755); }
    void file(const QString &path, const QByteArray &data) { entry(path, '0', 0644, data); }
    void symlink(const QString &path, const QString &target) { entry(path, '2', 0777, {}, target); }
    QByteArray finish() const { return m_out + QByteArray(1024, '\0'); }

private:
    static void octal(char *field, int width, qint64 value)
    {
        const QByteArray s = QByteArray::number(value, 8).rightJustified(width - 1, '0');
        memcpy(field, s.constData(), size_t(width - 1));
    }

    void entry(const QString &path, char type, int mode, const QByteArray &data = {}, const QString &link = {})
    {
        QByteArray h(512, '\0');
        char *p = h.data();
        const QByteArray name = path.toUtf8();
        const QByteArray target = link.toUtf8();
        Q_ASSERT(name.size() < 100 && target.size() < 100);
        memcpy(p, name.constData(), size_t(name.size()));
        octal(p + 100, 8, mode);
        octal(p + 108, 8, 0);
        octal(p + 116, 8, 0);
        octal(p + 124, 12, data.size());
        octal(p + 136, 12, 1704067200);
        memset(p + 148, ' ', 8);
        p[156] = type;
        memcpy(p + 157, target.constData(), size_t(target.size()));
        memcpy(p + 257, "ustar", 6);
        memcpy(p + 263, "00", 2);
        uint sum = 0;
        for (const char c : h)
            sum += uchar(c);
        octal(p + 148, 7, sum);
        m_out += h + data;
        if (data.size() % 512)
            m_out += QByteArray(512 - data.size() % 512, '\0');
    }

    QByteArray m_out;
};

} // namespace porthole::test
