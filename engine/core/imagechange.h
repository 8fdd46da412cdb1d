// Docker's --change instructions (`import -c`, `commit -c`): Dockerfile
// instructions applied to an image config without building anything.
// Free functions over a value; any thread.
//
// Accepted, case-insensitively, as docker's BuildFromConfig does: CMD,
// ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR.
// Anything else is InvalidArgument "... is not a valid change command".
//
// Semantics follow moby's dispatchers, in particular:
//  - words are unquoted and $VAR / ${VAR} / ${VAR:-x} / ${VAR:+x} expanded
//    against the config's Env as it was before the instruction (ENV, LABEL,
//    EXPOSE, USER, VOLUME, WORKDIR, STOPSIGNAL); CMD, ENTRYPOINT and ONBUILD
//    are kept verbatim, shell form wrapped in the config's Shell or /bin/sh -c;
//  - ENTRYPOINT resets Cmd unless a non-empty CMD came earlier in the same
//    applyChanges() call, exactly as `docker commit --change` does;
//  - WORKDIR is resolved against the current WorkingDir and cleaned.
// One change string may hold several lines (docker joins them with "\n").
#pragma once

#include "core/imageconfig.h"
#include "core/result.h"

#include <QString>
#include <QStringList>

namespace porthole {

// Applies one change. Equivalent to applyChanges(config, {instruction}).
Status applyChange(ImageConfig &config, const QString &instruction);

// Applies all changes in order. Every instruction keyword is checked before
// anything is applied, and on any error `config` is left unchanged.
Status applyChanges(ImageConfig &config, const QStringList &instructions);

} // namespace porthole
