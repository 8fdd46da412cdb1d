#include "registry/authchallenge.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace porthole::registry {

namespace {

// RFC 7230 tchar.
bool isTchar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c != '\0' && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

bool isToken68Char(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c != '\0' && std::strchr("-._~+/", c) != nullptr;
}

bool isControl(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
}

bool isOws(char c) { return c == ' ' || c == '\t'; }

// A newline counts as a comma: some APIs join repeated header lines with it.
bool isListSeparator(char c) { return c == ',' || c == '\n' || c == '\r'; }

// Unquoted values are read up to whitespace or a comma rather than as strict
// tokens, because registries send realm=https://host/token unquoted and
// '/' and ':' are not token characters.
bool isBareValueChar(char c) { return !isControl(c) && c != ' ' && c != ',' && c != '"'; }

class ChallengeParser {
public:
    explicit ChallengeParser(const QByteArray &s) : m_s(s) {}

    QList<Challenge> run()
    {
        for (;;) {
            while (!atEnd() && (isOws(peek()) || isListSeparator(peek())))
                ++m_i;
            if (atEnd())
                break;
            const qsizetype start = m_i;
            const QByteArray token = readToken();
            if (token.isEmpty())
                break;
            skipOws();
            if (peek() == '=') {
                // A parameter of the current challenge; a comma before it is
                // optional (some servers leave it out).
                m_i = start;
                if (m_out.isEmpty() || !tryParam())
                    break;
                continue;
            }
            m_out.append(Challenge{QString::fromLatin1(token).toLower(), {}});
            m_i = start + token.size();
            if (atEnd() || isListSeparator(peek()))
                continue;
            if (!isOws(peek()))
                break;
            skipOws();
            if (atEnd() || isListSeparator(peek()))
                continue;
            if (!tryParam() && !tryToken68())
                break;
        }
        return m_out;
    }

private:
    bool atEnd() const { return m_i >= m_s.size(); }
    char peek() const { return atEnd() ? '\0' : m_s.at(m_i); }
    void skipOws()
    {
        while (!atEnd() && isOws(peek()))
            ++m_i;
    }

    QByteArray readToken()
    {
        const qsizetype start = m_i;
        while (!atEnd() && isTchar(peek()))
            ++m_i;
        return m_s.mid(start, m_i - start);
    }

    // name BWS "=" BWS ( token / quoted-string ); restores the position on failure.
    bool tryParam()
    {
        const qsizetype save = m_i;
        const QByteArray name = readToken();
        skipOws();
        QString value;
        if (name.isEmpty() || peek() != '=') {
            m_i = save;
            return false;
        }
        ++m_i;
        skipOws();
        if (!readValue(&value)) {
            m_i = save;
            return false;
        }
        // Repeated names: the last one wins, as in docker.
        m_out.last().params.insert(QString::fromLatin1(name).toLower(), value);
        return true;
    }

    bool readValue(QString *out)
    {
        if (peek() == '"')
            return readQuoted(out);
        // A bare value starting with '=' is the tail of a token68 ("abc==").
        if (peek() == '=')
            return false;
        const qsizetype start = m_i;
        while (!atEnd() && isBareValueChar(peek()))
            ++m_i;
        if (m_i == start)
            return false;
        *out = QString::fromUtf8(m_s.mid(start, m_i - start));
        return true;
    }

    bool readQuoted(QString *out)
    {
        ++m_i;
        QByteArray buf;
        while (!atEnd()) {
            char c = m_s.at(m_i++);
            if (c == '"') {
                *out = QString::fromUtf8(buf);
                return true;
            }
            if (c == '\\') {
                if (atEnd())
                    return false;
                c = m_s.at(m_i++);
            }
            // A raw CR or LF inside a value is never legitimate and would be
            // dangerous to carry into a later request line.
            if (isControl(c) && c != '\t')
                return false;
            buf.append(c);
        }
        return false;
    }

    // token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=",
    // alone in its challenge. Skipped: no scheme we speak uses one.
    bool tryToken68()
    {
        const qsizetype save = m_i;
        while (!atEnd() && isToken68Char(peek()))
            ++m_i;
        if (m_i == save)
            return false;
        while (peek() == '=')
            ++m_i;
        skipOws();
        if (atEnd() || isListSeparator(peek()))
            return true;
        m_i = save;
        return false;
    }

    const QByteArray &m_s;
    qsizetype m_i = 0;
    QList<Challenge> m_out;
};

Error tokenError(const QString &problem)
{
    return Error(ErrorCode::InvalidArgument, QStringLiteral("read token response: ") + problem);
}

Result<QString> optionalString(const QJsonObject &o, const QString &key)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined() || v.isNull())
        return QString();
    if (!v.isString())
        return tokenError(QStringLiteral("field \"%1\" is not a string").arg(key));
    return v.toString();
}

// RFC 3339 as Go writes it: fractions up to nanoseconds, 'Z' or an offset.
// Qt's ISO parser takes at most milliseconds, hence the hand-made split.
QDateTime parseRfc3339(const QString &s)
{
    static const QRegularExpression re(QStringLiteral(
        R"(^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$)"));
    const QRegularExpressionMatch m = re.match(s);
    if (!m.hasMatch())
        return {};
    auto num = [&](int i) { return m.captured(i).toInt(); };
    const QDate date(num(1), num(2), num(3));
    const QString fraction = m.captured(7).left(3);
    const int ms = fraction.isEmpty() ? 0 : fraction.leftJustified(3, u'0').toInt();
    const QTime time(num(4), num(5), num(6), ms);
    if (!date.isValid() || !time.isValid())
        return {};
    QDateTime dt(date, time, Qt::UTC);
    if (!m.captured(9).isEmpty()) {
        const int offset = num(10) * 3600 + num(11) * 60;
        dt = dt.addSecs(m.captured(9) == u'+' ? -offset : offset);
    }
    return dt;
}

} // namespace

QList<Challenge> parseChallenges(const QByteArray &headerValue)
{
    return ChallengeParser(headerValue).run();
}

QString scopeFor(const QString &repository, const QStringList &actions)
{
    QStringList sorted = actions;
    sorted.removeAll(QString());
    sorted.sort();
    sorted.removeDuplicates();
    return QStringLiteral("repository:") + repository + u':' + sorted.join(u',');
}

Result<TokenResponse> TokenResponse::parse(const QByteArray &json, const QDateTime &receivedAt)
{
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return tokenError(QStringLiteral("not valid JSON (%1 at offset %2)")
                              .arg(parseError.errorString())
                              .arg(parseError.offset));
    if (!doc.isObject())
        return tokenError(QStringLiteral("expected a JSON object"));
    const QJsonObject o = doc.object();

    TokenResponse r;
    PH_TRY(const QString accessToken, optionalString(o, QStringLiteral("access_token")));
    PH_TRY(const QString token, optionalString(o, QStringLiteral("token")));
    PH_TRY(r.refreshToken, optionalString(o, QStringLiteral("refresh_token")));
    // As docker: an OAuth answer's access_token wins over the legacy field.
    r.token = accessToken.isEmpty() ? token : accessToken;
    if (r.token.isEmpty())
        return tokenError(QStringLiteral("the realm sent no \"token\" or \"access_token\""));
    for (const QChar c : std::as_const(r.token)) {
        if (c.unicode() <= 0x20 || c.unicode() >= 0x7f)
            return tokenError(QStringLiteral("the token holds characters that cannot go in an Authorization header"));
    }

    const QJsonValue expires = o.value(QStringLiteral("expires_in"));
    if (!expires.isUndefined() && !expires.isNull()) {
        if (!expires.isDouble() || !std::isfinite(expires.toDouble()))
            return tokenError(QStringLiteral("field \"expires_in\" is not a number"));
        // A day at most: renewing early is harmless, and a huge value must
        // not overflow the date arithmetic.
        constexpr double kMaximum = 24 * 3600;
        const double seconds = std::floor(expires.toDouble());
        r.expiresInSeconds = qint64(std::clamp(seconds, double(kMinimumTokenLifetimeSeconds), kMaximum));
    }

    // Informational only (see expiresAt), so an unreadable one is not fatal.
    const QDateTime issued = parseRfc3339(o.value(QStringLiteral("issued_at")).toString());
    r.issuedAt = issued.isValid() ? issued : receivedAt.toUTC();
    r.expiresAt = receivedAt.toUTC().addSecs(r.expiresInSeconds);
    return r;
}

} // namespace porthole::registry
