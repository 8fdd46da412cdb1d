#include "core/reference.h"

#include <algorithm>

// The grammar is distribution/reference's regexp.go, checked piece by piece instead of
// with one regular expression so that an error can say which piece is wrong:
//
//   reference      := name [ ":" tag ] [ "@" digest ]
//   name           := [ domain "/" ] path-component ( "/" path-component )*
//   domain         := host [ ":" port ]   host := domain-name | "[" [a-fA-F0-9:]+ "]"
//   domain-name    := label ( "." label )*   label := [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
//   path-component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
//   tag            := [\w][\w.-]{0,127}
//
// Because a path never contains ':' or '@' and a tag never contains '/', '@' or ':',
// the first '@' after the domain starts the digest and the first ':' before it starts
// the tag; no backtracking is needed.

namespace porthole {

namespace {

const QLatin1StringView kDefaultDomain("docker.io");
const QLatin1StringView kLegacyDefaultDomain("index.docker.io");
const QLatin1StringView kOfficialPrefix("library/");
const QLatin1StringView kLocalhost("localhost");
const QLatin1StringView kDefaultTag("latest");
constexpr int kNameTotalLengthMax = 255;
constexpr int kTagLengthMax = 128;

bool isLowerAlnum(QChar c) { return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9'); }
bool isAsciiAlnum(QChar c) { return isLowerAlnum(c) || (c >= u'A' && c <= u'Z'); }
bool isWordChar(QChar c) { return isAsciiAlnum(c) || c == u'_'; }
bool isHexOrColon(QChar c)
{
    return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F') || c == u':';
}

// User input may be arbitrarily long; keep messages readable.
QString shown(QStringView text)
{
    constexpr int limit = 200;
    if (text.size() <= limit)
        return text.toString();
    return text.left(limit).toString() + QStringLiteral("…");
}

Error invalid(const QString &why)
{
    return Error(ErrorCode::InvalidArgument, QStringLiteral("invalid reference format: ") + why);
}

bool isPathComponent(QStringView c)
{
    if (c.isEmpty() || !isLowerAlnum(c.front()) || !isLowerAlnum(c.back()))
        return false;
    for (qsizetype i = 1; i < c.size();) {
        if (isLowerAlnum(c[i])) {
            ++i;
            continue;
        }
        // A run of separators between two alphanumerics: one '.', one or two '_', or any '-'s.
        qsizetype j = i;
        while (j < c.size() && !isLowerAlnum(c[j]))
            ++j;
        const QStringView sep = c.mid(i, j - i);
        const bool ok = sep == u"." || sep == u"_" || sep == u"__"
            || std::all_of(sep.begin(), sep.end(), [](QChar ch) { return ch == u'-'; });
        if (!ok)
            return false;
        i = j;
    }
    return true;
}

bool isDomainLabel(QStringView label)
{
    if (label.isEmpty() || !isAsciiAlnum(label.front()) || !isAsciiAlnum(label.back()))
        return false;
    return std::all_of(label.begin(), label.end(), [](QChar c) { return isAsciiAlnum(c) || c == u'-'; });
}

bool isDomain(QStringView domain)
{
    QStringView host = domain;
    QStringView port;
    if (domain.startsWith(u'[')) {
        const qsizetype close = domain.indexOf(u']');
        if (close < 2)
            return false;
        if (!std::all_of(domain.begin() + 1, domain.begin() + close, isHexOrColon))
            return false;
        const QStringView after = domain.mid(close + 1);
        if (!after.isEmpty()) {
            if (!after.startsWith(u':') || after.size() == 1)
                return false;
            port = after.mid(1);
        }
    } else {
        const qsizetype colon = domain.indexOf(u':');
        if (colon >= 0) {
            host = domain.left(colon);
            port = domain.mid(colon + 1);
            if (port.isEmpty())
                return false;
        }
        for (QStringView label : host.tokenize(u'.', Qt::KeepEmptyParts)) {
            if (!isDomainLabel(label))
                return false;
        }
        if (host.isEmpty())
            return false;
    }
    return std::all_of(port.begin(), port.end(), [](QChar c) { return c >= u'0' && c <= u'9'; });
}

bool isIdentifier(QStringView text)
{
    return text.size() == 64 && std::all_of(text.begin(), text.end(), [](QChar c) {
               return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f');
           });
}

// distribution's splitDockerDomain: decides whether the first component is a registry.
// Besides '.', ':' and "localhost", an upper-case first component counts as a host,
// because a Docker Hub namespace can never contain upper case.
void splitDockerDomain(QStringView text, QString &domain, QString &remainder)
{
    const qsizetype slash = text.indexOf(u'/');
    if (slash < 0) {
        domain = kDefaultDomain;
        remainder = kOfficialPrefix + text.toString();
        return;
    }
    const QStringView first = text.left(slash);
    const QStringView rest = text.mid(slash + 1);
    if (first == kLocalhost || first.contains(u'.') || first.contains(u':') || first.toString().toLower() != first) {
        domain = first == kLegacyDefaultDomain ? QString(kDefaultDomain) : first.toString();
        remainder = rest.toString();
    } else {
        domain = kDefaultDomain;
        remainder = text.toString();
    }
    if (domain == kDefaultDomain && !remainder.contains(u'/'))
        remainder.prepend(kOfficialPrefix);
}

} // namespace

bool Reference::isValidTag(QStringView tag)
{
    if (tag.isEmpty() || tag.size() > kTagLengthMax || !isWordChar(tag.front()))
        return false;
    return std::all_of(tag.begin(), tag.end(), [](QChar c) { return isWordChar(c) || c == u'.' || c == u'-'; });
}

Result<Reference> Reference::parse(QStringView text)
{
    if (text.isEmpty())
        return invalid(QStringLiteral("repository name must have at least one component"));
    // A bare image ID must not silently become docker.io/library/<id>.
    if (isIdentifier(text))
        return invalid(QStringLiteral("invalid repository name (%1), cannot specify 64-byte hexadecimal strings")
                           .arg(text.toString()));

    QString domain;
    QString remainder;
    splitDockerDomain(text, domain, remainder);

    // Same cut as docker (up to the first ':'), so the message names the same text.
    const QString remote = remainder.left(remainder.indexOf(u':'));
    if (remote.toLower() != remote)
        return invalid(QStringLiteral("repository name (%1) must be lowercase").arg(shown(remote)));

    const qsizetype at = remainder.indexOf(u'@');
    const QStringView namePart = QStringView(remainder).left(at);
    const qsizetype colon = namePart.indexOf(u':');
    const QStringView pathText = namePart.left(colon);

    const auto emptyComponent = [&] {
        return invalid(QStringLiteral("\"%1\" has an empty path component").arg(shown(text)));
    };
    if (pathText.isEmpty())
        return emptyComponent();
    for (QStringView component : pathText.tokenize(u'/', Qt::KeepEmptyParts)) {
        if (component.isEmpty())
            return emptyComponent();
        if (!isPathComponent(component))
            return invalid(QStringLiteral("path component \"%1\" in \"%2\" must be lower-case letters and digits, "
                                          "separated by one '.', one or two '_' or any number of '-'")
                               .arg(shown(component), shown(text)));
    }
    if (!isDomain(domain)) {
        // distribution would accept e.g. "my_reg.local/app" as a domain-less path, which
        // no registry client can resolve, so it is refused here with a clearer reason.
        if (domain.toLower() != domain)
            return invalid(QStringLiteral("repository name (%1) must be lowercase").arg(shown(text)));
        return invalid(QStringLiteral("registry \"%1\" in \"%2\" is not a valid host name, IPv4 address or "
                                      "[IPv6] address with an optional port")
                           .arg(shown(domain), shown(text)));
    }

    Reference ref;
    ref.m_domain = domain;
    ref.m_path = pathText.toString();
    if (colon >= 0) {
        const QStringView tag = namePart.mid(colon + 1);
        if (!isValidTag(tag))
            return invalid(QStringLiteral("tag \"%1\" in \"%2\" must be 1 to 128 letters, digits, '_', '.' or '-', "
                                          "not starting with '.' or '-'")
                               .arg(shown(tag), shown(text)));
        ref.m_tag = tag.toString();
    }
    if (ref.name().size() > kNameTotalLengthMax)
        return invalid(QStringLiteral("repository name must not be more than %1 characters (\"%2\" has %3)")
                           .arg(kNameTotalLengthMax)
                           .arg(shown(ref.name()))
                           .arg(ref.name().size()));
    if (at >= 0) {
        auto digest = Digest::parse(QStringView(remainder).mid(at + 1));
        if (!digest)
            return invalid(digest.error().message + QStringLiteral(" in \"%1\"").arg(shown(text)));
        ref.m_digest = *digest;
    }
    return ref;
}

QString Reference::name() const
{
    return m_domain + u'/' + m_path;
}

Reference Reference::withDefaultTag() const
{
    if (hasTag() || hasDigest())
        return *this;
    return withTag(kDefaultTag);
}

Reference Reference::dockerRef() const
{
    if (hasDigest()) {
        Reference r = *this;
        r.m_tag.clear();
        return r;
    }
    return withDefaultTag();
}

Reference Reference::withTag(const QString &tag) const
{
    Reference r = *this;
    r.m_tag = tag;
    return r;
}

Reference Reference::withoutTagOrDigest() const
{
    Reference r;
    r.m_domain = m_domain;
    r.m_path = m_path;
    return r;
}

QString Reference::toString() const
{
    if (!isValid())
        return {};
    QString s = name();
    if (hasTag())
        s += u':' + m_tag;
    if (hasDigest())
        s += u'@' + m_digest.toString();
    return s;
}

QString Reference::familiarName() const
{
    if (m_domain != kDefaultDomain)
        return name();
    // Only a single-level "library/x" is shortened; "library/a/b" stays as it is.
    if (m_path.startsWith(kOfficialPrefix)) {
        const QString rest = m_path.mid(kOfficialPrefix.size());
        if (!rest.contains(u'/'))
            return rest;
    }
    return m_path;
}

QString Reference::familiarString() const
{
    if (!isValid())
        return {};
    QString s = familiarName();
    if (hasTag())
        s += u':' + m_tag;
    if (hasDigest())
        s += u'@' + m_digest.toString();
    return s;
}

} // namespace porthole
