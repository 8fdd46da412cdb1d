#include "layer/tarscan.h"

#include "layer/tarreader.h"

#include <archive.h>
#include <archive_entry.h>

namespace porthole::layer {

Result<TarSummary> scanTar(ByteSource &uncompressed, const CancelToken &cancel)
{
    TarReader reader(uncompressed, QStringLiteral("scan tar"));
    TarSummary summary;
    for (;;) {
        PH_CHECK(cancel.check(QStringLiteral("scan tar")));
        PH_TRY(archive_entry *entry, reader.next());
        if (!entry)
            return summary;
        ++summary.entries;
        if (archive_entry_filetype(entry) == AE_IFREG && archive_entry_size_is_set(entry))
            summary.contentBytes += archive_entry_size(entry);
        if (archive_read_data_skip(reader.handle()) < ARCHIVE_WARN)
            return reader.error(QStringLiteral("scan tar"));
    }
}

} // namespace porthole::layer
