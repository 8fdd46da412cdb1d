// Waiting for a job where Qt's API wants the answer at once: a drop target
// asks the drag's QMimeData for its URLs and takes what retrieveData returns.
// The wait runs a local event loop that excludes user input, so the window
// keeps painting and the engine keeps working (the UI thread never blocks in
// a system call) while the user cannot click until the job is over or the
// wait gives up. Threading: UI thread.
#pragma once

namespace porthole::service {
class Job;
}

namespace porthole::gui {

// How long a drop waits for the file it carries: long enough for a large
// image or file on a slow disk; a user who lets go of the mouse expects the
// file, not an instant refusal.
inline constexpr int kDropWaitMs = 120000;

// Returns once job has finished (true) or after maxWaitMs (false). A null
// job (deleted: it finished) returns true at once.
bool waitForJob(service::Job *job, int maxWaitMs);

} // namespace porthole::gui
