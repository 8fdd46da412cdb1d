#include "gui/inspector/jobwait.h"

#include "service/job.h"

#include <QEventLoop>
#include <QPointer>
#include <QTimer>

namespace porthole::gui {

bool waitForJob(service::Job *job, int maxWaitMs)
{
    const QPointer<service::Job> guard(job);
    if (!guard || guard->isFinished())
        return true;
    QEventLoop loop;
    bool finished = false;
    QObject::connect(job, &service::Job::finished, &loop, [&] {
        finished = true;
        loop.quit();
    });
    QTimer::singleShot(maxWaitMs, &loop, &QEventLoop::quit);
    loop.exec(QEventLoop::ExcludeUserInputEvents);
    return finished || !guard;
}

} // namespace porthole::gui
