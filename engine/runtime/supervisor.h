// The shim's supervision of a running container: one poll() loop that pumps
// the container's output into its log and to every attach client, takes
// their input, resizes the pty, and reaps the first process. The shim
// (container/shim.h) prepares the container, clones it, and hands over.
// Single-threaded, no Qt event loop; the shim's own thread only.
#pragma once

#include "runtime/attachprotocol.h"
#include "runtime/logfile.h"

#include <QByteArray>
#include <QString>

#include <map>

#include <sys/types.h>

namespace porthole::runtime {

class Supervisor {
public:
    // syncFd: the shim's end of the sync channel with the child (owned from
    // now on); child: the container's first process; log: its json-file log.
    Supervisor(int syncFd, pid_t child, LogWriter &log) : m_sync(syncFd), m_child(child), m_log(log) {}

    // The container's stdio as the shim holds it: a pty master, or pipes
    // (-1 where there is none). Made non-blocking.
    void setOutputs(int ptyMaster, int stdinPipe, int stdoutPipe, int stderrPipe);

    // Runs until the container's first process has exited; returns its status.
    void run(int listenFd, int signalFd, bool waitForAttach);
    // Tells the clients the exit code and lets them go: called after the
    // state is recorded (and a --rm container removed), so a client that
    // returns on it sees the final state.
    void finish();

    int exitCode() const { return m_exitCode; }
    const QString &error() const { return m_error; }

private:
    void start();
    void acceptClient(int listenFd);
    void handleClient(int fd);
    void dropClient(int fd);
    bool pumpOutput(int fd, attach::Frame frame, const char *stream);
    void flushStdin();
    void readSync();
    void reap(int signalFd);
    void broadcast(const QByteArray &frame);

    int m_sync;
    pid_t m_child;
    LogWriter &m_log;
    int m_pty = -1, m_stdin = -1, m_stdout = -1, m_stderr = -1;
    QByteArray m_pendingStdin;
    bool m_stdinEof = false;
    bool m_started = false;
    bool m_exited = false;
    int m_exitCode = 0;
    QString m_error;
    std::map<int, attach::FrameReader> m_clients;
};

} // namespace porthole::runtime
