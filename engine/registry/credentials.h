// Registry credentials where docker and podman keep them, so a user logged in
// with either tool is logged in for Porthole, and `porthole login` is seen by
// docker.
//
// Read: docker's config.json first ("credHelpers", "credsStore", "auths"),
// then containers' auth.json files in containers/image's order; the first
// file that has a credential for the registry wins. Write (login/logout):
// docker's config.json only, in docker's format.
//
// A CredentialStore is a pair of paths; every call reads the files afresh, so
// a login by another process is seen at once. Calls may block on disk and on
// a credential helper (up to the helper time-out each), so call them from a
// worker thread, never the GUI thread. lookup, store and erase do not modify
// the object, so one object may serve several threads (setHelperTimeoutMs
// aside); concurrent logins race on the file as docker's do.
#pragma once

#include "core/result.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace porthole::registry {

struct Credential {
    QString username;
    // A password, or an identity (OAuth refresh) token when isIdentityToken.
    QString secret;
    bool isIdentityToken = false;

    bool operator==(const Credential &) const = default;
};

// The key docker files Docker Hub credentials under: "https://index.docker.io/v1/".
QString dockerHubAuthKey();

// A registry as the files name it ("https://ghcr.io/v2/", "GHCR.io",
// "http://localhost:5000", "quay.io/team/app") reduced to host[:port] in
// lower case; Docker Hub's aliases (index.docker.io, registry-1.docker.io,
// its v1 URL) all become "docker.io".
QString normalizeRegistryKey(const QString &key);

class CredentialStore {
public:
    // $DOCKER_CONFIG/config.json (or ~/.docker/config.json), then
    // $REGISTRY_AUTH_FILE (or ${XDG_RUNTIME_DIR}/containers/auth.json, or
    // /run/containers/<uid>/auth.json) and ${XDG_CONFIG_HOME:-~/.config}/containers/auth.json.
    static CredentialStore fromEnvironment();
    // Explicit files, for tests and --authfile; missing files are empty.
    static CredentialStore fromFiles(QString dockerConfigPath, QStringList authJsonPaths);

    // The credential for a registry host ("docker.io", "localhost:5000"), or
    // nullopt for anonymous access. Per file: a credential helper named for
    // the host in "credHelpers" (or, in docker's file, "credsStore") is asked
    // first with `docker-credential-<name> get`; failing that, "auths"
    // entries match by exact key, then by normalizeRegistryKey. An error (an
    // unreadable file, a broken entry, a missing or failing helper) is
    // returned only if no other source has a credential, as containers/image
    // does; a caller pulling may well warn and go on anonymously.
    Result<std::optional<Credential>> lookup(const QString &registryHost) const;

    // login: stores the credential in the helper docker would use, or else
    // as base64 "auth" (or "identitytoken") in docker's config.json. The file
    // is replaced atomically with mode 0600, every other field kept; stale
    // URL-form keys for the same host are dropped.
    Status store(const QString &registryHost, const Credential &credential);

    // logout: removes the host's credential from the helper and from the
    // "auths" entries of docker's config.json (URL-form keys included).
    // NotFound when there was nothing to remove. auth.json files are left alone.
    Status erase(const QString &registryHost);

    QString dockerConfigPath() const { return m_dockerConfigPath; }
    QStringList authJsonPaths() const { return m_authJsonPaths; }

    // How long one helper call may take before it is killed (default 10 s).
    void setHelperTimeoutMs(int ms) { m_helperTimeoutMs = ms; }

private:
    QString m_dockerConfigPath;
    QStringList m_authJsonPaths;
    int m_helperTimeoutMs = 10000;
};

} // namespace porthole::registry
