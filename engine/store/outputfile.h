// OutputFile: a file a command writes for the user (save -o, export -o)
// that appears under its name only when complete. Until commit() it is
// unnamed (O_TMPFILE) in the target's directory, so nothing is left behind
// whatever happens before; commit() fsyncs it, names it and renames it over
// the target in one step. Where the file system has no O_TMPFILE, a named
// temp file that the destructor removes.
// Ownership: owns its descriptor. One thread at a time.
#pragma once

#include "core/result.h"

#include <QString>

namespace porthole::store {

class OutputFile {
public:
    OutputFile() = default;
    OutputFile(const OutputFile &) = delete;
    OutputFile &operator=(const OutputFile &) = delete;
    ~OutputFile();

    // step names the command in errors ("save to x.tar").
    Status open(const QString &path, const QString &step);
    int fd() const { return m_fd; }
    Status commit();

private:
    int m_fd = -1;
    QString m_step;
    QString m_path;
    QString m_dir;
    QString m_tempPath; // a named temp file that is not the target yet
};

} // namespace porthole::store
