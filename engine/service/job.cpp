#include "service/job.h"

namespace porthole::service {

qint64 JobStatus::done() const
{
    qint64 sum = 0;
    for (const ProgressEvent &e : items)
        sum += e.done;
    return sum;
}

qint64 JobStatus::total() const
{
    qint64 sum = 0;
    for (const ProgressEvent &e : items) {
        if (e.total < 0)
            return -1;
        sum += e.total;
    }
    return items.isEmpty() ? -1 : sum;
}

} // namespace porthole::service
