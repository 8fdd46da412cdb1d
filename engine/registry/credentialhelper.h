// A docker-credential-<name> program, as docker's config names it in
// "credHelpers" or "credsStore": `get`, `store` and `erase`, JSON over stdin
// and stdout. Private to registry/ (credentials.cpp).
//
// Synchronous: each call starts the helper as a child process and waits for
// it, at most timeoutMs, on the calling thread.
#pragma once

#include "registry/credentials.h"

namespace porthole::registry {

struct CredentialHelper {
    QString name;
    QString configuredBy; // credHelpers["ghcr.io"] or credsStore, for messages
    QString configPath;

    QString program() const { return QStringLiteral("docker-credential-") + name; }

    Result<std::optional<Credential>> get(const QString &serverUrl, int timeoutMs) const;
    Status store(const QString &serverUrl, const Credential &c, int timeoutMs) const;
    // NotFound when the helper had nothing for the server.
    Status erase(const QString &serverUrl, int timeoutMs) const;

private:
    struct Output;
    Error error(ErrorCode code, const QString &verb, const QString &problem) const;
    Error failure(const QString &verb, const Output &o) const;
    Result<Output> run(const QString &verb, const QByteArray &input, int timeoutMs) const;
};

} // namespace porthole::registry
