// Progress reporting from the engine: a plain callback, called on the thread
// doing the work. The receiver throttles (EngineService to ~10 Hz, the CLI to
// its redraw rate); the engine reports whenever it has something new.
#pragma once

#include <QString>

#include <functional>

namespace porthole {

struct ProgressEvent {
    QString id;      // what is being worked on: a short layer ID, a file name
    QString phase;   // "Reading", "Copying", "Extracting", "Done", ...
    qint64 done = 0; // bytes (or items) done so far
    qint64 total = -1; // -1 when unknown
};

using ProgressSink = std::function<void(const ProgressEvent &)>;

inline void report(const ProgressSink &sink, const ProgressEvent &event)
{
    if (sink)
        sink(event);
}

} // namespace porthole
