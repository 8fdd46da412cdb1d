// ContainerOptions: the settings a container is made with, one type for
// every place that carries them. The create request (container/create.h)
// is these options as the user gave them, plus what create resolves (the
// image, its command, volume and device specs); the container record
// (store/containerstore.h) is these options as create resolved them against
// the image (the image's Env, WorkingDir, User and StopSignal merged in),
// plus what identifies the container. config.json keeps them under docker's
// names with one writer and one reader, here.
//
// It lives in core, as ResourceLimits does, because the store records it and
// the store may not depend on the modules above it. Adding a run flag: a
// field here (and its JSON key below), a row in container/runflags.cpp,
// where it takes effect, and a test. Value type; any thread.
#pragma once

#include "core/resourcelimits.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace porthole {

struct ContainerOptions {
    QStringList env;          // KEY=VALUE; in a request also KEY (taken from the caller's environment)
    QString workingDir;       // empty: the image's
    QString user;             // "user[:group]"; empty: the image's
    QString hostname;         // empty: the container ID's first 12 digits
    bool tty = false;         // -t
    bool openStdin = false;   // -i
    bool autoRemove = false;  // --rm
    bool readOnly = false;    // --read-only
    bool init = false;        // --init
    QString networkMode;      // "private" (empty means it too), "host", "none"
    QStringList ports;        // -p; in the record with the host ports assigned
    bool privileged = false;  // --privileged, docker's meaning (runtime/security.h)
    QStringList securityOpt;  // --security-opt; in the record normalized as docker keeps them
    QString stopSignal;       // --stop-signal; empty: the image's, else SIGTERM
    ResourceLimits limits;    // -m, --memory-swap, --cpus, --cpu-shares, --pids-limit, --ulimit

    // Writes the options into a config.json object (their keys only).
    void writeJson(QJsonObject &o) const;
    static ContainerOptions fromJson(const QJsonObject &o);
    // The keys writeJson writes, so that a reader can tell them from fields
    // another version wrote (kept, not lost).
    static const QStringList &jsonKeys();
};

// Later entries replace earlier ones with the same key, as docker merges
// the image's Env with -e (and a container's with exec -e).
QStringList mergeEnvironment(const QStringList &base, const QStringList &overrides);

} // namespace porthole
