// Image references ("ubuntu", "localhost:5000/app:1.0", "name@sha256:...") parsed and
// normalized the way docker does (github.com/distribution/reference, ParseNormalizedNamed),
// so that every name a user types maps to the same store key docker would use.
// Reference is a plain value type: no sharing, no threads, safe to copy anywhere.
#pragma once

#include "core/digest.h"
#include "core/result.h"

#include <QHash>
#include <QString>

namespace porthole {

class Reference {
public:
    // An empty reference (isValid() false); only parse() makes valid ones.
    Reference() = default;

    // Parses and normalizes: "ubuntu" -> docker.io/library/ubuntu, "user/app" ->
    // docker.io/user/app, "index.docker.io/x" -> docker.io/library/x. A tag and a digest
    // may both be given and both are kept. Errors are InvalidArgument and read
    // "invalid reference format: ..." naming the offending text.
    static Result<Reference> parse(QStringView text);

    // True for [\w][\w.-]{0,127}, docker's tag grammar.
    static bool isValidTag(QStringView tag);

    bool isValid() const { return !m_path.isEmpty(); }

    QString domain() const { return m_domain; }  // "docker.io", "localhost:5000"
    QString path() const { return m_path; }      // "library/ubuntu"
    QString name() const;                        // "docker.io/library/ubuntu"
    QString tag() const { return m_tag; }
    bool hasTag() const { return !m_tag.isEmpty(); }
    Digest digest() const { return m_digest; }
    bool hasDigest() const { return m_digest.isValid(); }

    // TagNameOnly: a bare name gets the tag "latest"; anything with a tag or a
    // digest is returned unchanged.
    Reference withDefaultTag() const;
    // ParseDockerRef's result: with a digest the tag is dropped (the digest is what
    // gets pulled), otherwise withDefaultTag().
    Reference dockerRef() const;
    // Keeps any digest, as distribution's WithTag does. The caller checks isValidTag.
    Reference withTag(const QString &tag) const;
    Reference withoutTagOrDigest() const;

    // "docker.io/library/ubuntu:latest", "name@sha256:...", "name:tag@sha256:...".
    QString toString() const;
    // The short form docker prints: "ubuntu", "user/app", "localhost/demo",
    // "127.0.0.1:5000/x/y" (only docker.io and its "library/" are dropped).
    QString familiarName() const;
    QString familiarString() const;

    friend bool operator==(const Reference &a, const Reference &b)
    {
        return a.m_domain == b.m_domain && a.m_path == b.m_path && a.m_tag == b.m_tag
            && a.m_digest == b.m_digest;
    }
    friend bool operator!=(const Reference &a, const Reference &b) { return !(a == b); }

private:
    QString m_domain;
    QString m_path;
    QString m_tag;
    Digest m_digest;
};

inline size_t qHash(const Reference &r, size_t seed = 0) { return qHash(r.toString(), seed); }

} // namespace porthole
