// AttachSession joins a container's main process through its shim's attach
// socket (runtime/attachprotocol.h): output frames go to the view, keys go
// back as stdin frames, the view's size as resize frames. Several clients may
// be attached at once; leaving never stops the container.
//
// Threading: UI thread only, as TerminalSession.
#pragma once

#include "gui/terminal/terminalsession.h"
#include "runtime/attachprotocol.h"

namespace porthole::gui {

class FdChannel;

class AttachSession : public TerminalSession {
    Q_OBJECT
public:
    // socketPath: the container's attach socket (Engine::attachSocket). tty:
    // the container has a pty (ContainerRow::tty); without one, output line
    // ends are turned into CR LF and input is edited a line at a time here,
    // as a terminal's line discipline would. openStdin (ContainerRow::
    // openStdin): whether keys are sent at all without a tty.
    AttachSession(const QString &socketPath, bool tty, bool openStdin, QObject *parent = nullptr);
    ~AttachSession() override;

protected:
    void begin() override;
    void leave() override;
    void sendBytes(const QByteArray &bytes) override;
    void sendSize(int rows, int cols) override;

private:
    void tryConnect();
    void onData(const QByteArray &data);
    void onEnd();
    void send(runtime::attach::Frame frame, const QByteArray &payload = {});
    void editLine(const QByteArray &bytes);

    QString m_path;
    bool m_tty;
    bool m_openStdin;
    int m_attempts = 0;
    FdChannel *m_channel = nullptr;
    runtime::attach::FrameReader m_frames;
    QByteArray m_line;        // without a tty: the line being typed
};

} // namespace porthole::gui
