<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>porthole::gui::AttachSession</name>
    <message>
        <location filename="../app/gui/terminal/attachsession.cpp" line="60"/>
        <source>Could not attach to the container: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/terminal/attachsession.cpp" line="100"/>
        <source>The container&apos;s attach socket sent a malformed frame.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/terminal/attachsession.cpp" line="106"/>
        <source>The connection to the container closed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>porthole::gui::ChangesView</name>
    <message>
        <location filename="../app/gui/inspector/changesview.cpp" line="45"/>
        <source>Added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/changesview.cpp" line="45"/>
        <source>Changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/changesview.cpp" line="45"/>
        <source>Deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/changesview.cpp" line="64"/>
        <source>Change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/changesview.cpp" line="65"/>
        <source>Path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/changesview.cpp" line="66"/>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/changesview.cpp" line="119"/>
        <source>No container</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/inspector/changesview.cpp" line="120"/>
        <source>%n change(s), %1 of file content. The next commit&apos;s layer: about %2 (uncompressed tar, estimated).</source>
        <translation>
            <numerusform>%n change, %1 of file content. The next commit&apos;s layer: about %2 (uncompressed tar, estimated).</numerusform>
            <numerusform>%n changes, %1 of file content. The next commit&apos;s layer: about %2 (uncompressed tar, estimated).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>porthole::gui::ChangesWindow</name>
    <message>
        <location filename="../app/gui/dialogs/changeswindow.cpp" line="20"/>
        <source>Changes in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/dialogs/changeswindow.cpp" line="73"/>
        <source>%1 is running: the changes are read again every %n second(s).</source>
        <translation>
            <numerusform>%1 is running: the changes are read again every second.</numerusform>
            <numerusform>%1 is running: the changes are read again every %n seconds.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/changeswindow.cpp" line="75"/>
        <source>%1 is not running: these changes stay as they are.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/changeswindow.cpp" line="113"/>
        <source>Could not read the changes of %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>porthole::gui::CleanupDialog</name>
    <message>
        <location filename="../app/gui/dialogs/cleanupdialog.cpp" line="19"/>
        <source>Clean up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/cleanupdialog.cpp" line="21"/>
        <source>Removes what no container uses. Images and volumes a container uses, running or not, stay.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/cleanupdialog.cpp" line="22"/>
        <source>Stopped &amp;containers (their read-write layers go with them)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/cleanupdialog.cpp" line="23"/>
        <source>&amp;Dangling images (no name, no container)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/cleanupdialog.cpp" line="24"/>
        <source>&amp;All images no container uses, named ones too</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/cleanupdialog.cpp" line="25"/>
        <source>Unused &amp;volumes (their data is deleted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/cleanupdialog.cpp" line="31"/>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/cleanupdialog.cpp" line="89"/>
        <source>The clean-up was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/cleanupdialog.cpp" line="90"/>
        <source>The clean-up failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/cleanupdialog.cpp" line="97"/>
        <source>Removed %1, %2 and %3: %4 freed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/dialogs/cleanupdialog.cpp" line="98"/>
        <source>%n container(s)</source>
        <translation>
            <numerusform>%n container</numerusform>
            <numerusform>%n containers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/dialogs/cleanupdialog.cpp" line="98"/>
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n image</numerusform>
            <numerusform>%n images</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/dialogs/cleanupdialog.cpp" line="99"/>
        <source>%n volume(s)</source>
        <translation>
            <numerusform>%n volume</numerusform>
            <numerusform>%n volumes</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/cleanupdialog.cpp" line="102"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>porthole::gui::CommandPreview</name>
    <message>
        <location filename="../app/gui/dialogs/commandpreview.cpp" line="18"/>
        <source>Command:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commandpreview.cpp" line="23"/>
        <source>The equivalent porthole command appears here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commandpreview.cpp" line="24"/>
        <source>Equivalent command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commandpreview.cpp" line="28"/>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commandpreview.cpp" line="30"/>
        <source>Copy the command to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commandpreview.cpp" line="31"/>
        <source>Copy command</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>porthole::gui::CommitDialog</name>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="44"/>
        <source>An image name to commit to cannot have a digest (@sha256:…).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="51"/>
        <source>Commit %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="53"/>
        <source>%1 (%2), from %3, %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="55"/>
        <source>Container:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="58"/>
        <source>repository[:tag] (empty: an untagged image)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="60"/>
        <source>&amp;Image name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="62"/>
        <source>Name &lt;email@example.com&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="63"/>
        <source>&amp;Author:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="65"/>
        <source>What changed, for the image&apos;s history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="66"/>
        <source>&amp;Message:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="68"/>
        <source>One instruction per line, for example:
CMD [&quot;sh&quot;]
ENV MODE=production</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="69"/>
        <source>Changes to the image configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="70"/>
        <source>&amp;Changes:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="72"/>
        <source>Allowed: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, USER, VOLUME, WORKDIR, STOPSIGNAL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="75"/>
        <source>&amp;Pause the container while committing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="79"/>
        <source>Pausing freezes the container&apos;s processes for the moment the files are copied, so the image does not catch a file half-written; they resume as soon as the commit is done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="86"/>
        <source>Commit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="120"/>
        <source>Image name: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="123"/>
        <source>Line %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>porthole::gui::ContainerListModel</name>
    <message>
        <location filename="../app/gui/models/containerlistmodel.cpp" line="66"/>
        <source>Container ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/models/containerlistmodel.cpp" line="67"/>
        <source>Image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/models/containerlistmodel.cpp" line="68"/>
        <source>Command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/models/containerlistmodel.cpp" line="26"/>
        <location filename="../app/gui/models/containerlistmodel.cpp" line="69"/>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/models/containerlistmodel.cpp" line="20"/>
        <source>Running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/models/containerlistmodel.cpp" line="22"/>
        <source>Paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/models/containerlistmodel.cpp" line="24"/>
        <source>Exited (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/models/containerlistmodel.cpp" line="70"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/models/containerlistmodel.cpp" line="71"/>
        <source>Ports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/models/containerlistmodel.cpp" line="72"/>
        <source>Names</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>porthole::gui::ContainersPage</name>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="40"/>
        <source>Filter by name, ID, image or status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="45"/>
        <source>Containers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="54"/>
        <source>&amp;Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="55"/>
        <source>St&amp;op</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="56"/>
        <source>&amp;Kill</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="57"/>
        <source>R&amp;estart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="58"/>
        <source>&amp;Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="59"/>
        <source>&amp;Unpause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="60"/>
        <source>Re&amp;move…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="62"/>
        <source>&amp;Commit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="63"/>
        <source>&amp;Logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="64"/>
        <source>E&amp;xport…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="65"/>
        <source>&amp;Diff</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="67"/>
        <source>&amp;Attach</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="68"/>
        <source>Open s&amp;hell</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="134"/>
        <source>Terminals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="173"/>
        <source>%1 (shell)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="225"/>
        <source>Export %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="228"/>
        <source>Tar archives (*.tar)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="240"/>
        <source>Exporting %1 to %2; the Jobs page shows its progress.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="192"/>
        <source>Remove container</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="192"/>
        <source>Remove the container %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="194"/>
        <source>Its files and its log are deleted; images are not touched.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="195"/>
        <source>&amp;Force: kill it first if it is running (-f)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="198"/>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="199"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>porthole::gui::Dialogs</name>
    <message>
        <location filename="../app/gui/dialogs/formutil.cpp" line="63"/>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/formutil.cpp" line="65"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/formutil.cpp" line="67"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>porthole::gui::ExecSession</name>
    <message>
        <location filename="../app/gui/terminal/execsession.cpp" line="112"/>
        <source>Opening a shell is not available here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/terminal/execsession.cpp" line="122"/>
        <source>Could not open a shell: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/terminal/execsession.cpp" line="136"/>
        <source>The shell got no terminal.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>porthole::gui::ImageArchiveMimeData</name>
    <message>
        <location filename="../app/gui/dnd/imagearchivemime.cpp" line="66"/>
        <source>Could not make a temporary directory for the archive: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>porthole::gui::ImageListModel</name>
    <message>
        <location filename="../app/gui/models/imagelistmodel.cpp" line="56"/>
        <source>Repository</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/models/imagelistmodel.cpp" line="57"/>
        <source>Tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/models/imagelistmodel.cpp" line="58"/>
        <source>Image ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/models/imagelistmodel.cpp" line="59"/>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/models/imagelistmodel.cpp" line="60"/>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>porthole::gui::ImagesPage</name>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="32"/>
        <source>Filter by repository, tag or image ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="37"/>
        <source>Images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="48"/>
        <source>&amp;Pull…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="49"/>
        <source>&amp;Run…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="51"/>
        <source>&amp;Tag…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="52"/>
        <source>P&amp;ush</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="53"/>
        <source>Re&amp;move…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="56"/>
        <source>&amp;Save…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="55"/>
        <source>&amp;History and layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="134"/>
        <source>Tag %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="135"/>
        <source>New name for %1 (repository[:tag]):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="139"/>
        <source>Tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="140"/>
        <location filename="../app/gui/pages/imagespage.cpp" line="168"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="155"/>
        <source>Pushing %1; the Jobs page shows its progress.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="163"/>
        <source>Remove image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="163"/>
        <source>Remove the image %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="164"/>
        <source>An image with several names loses only this name; its layers stay until no name is left.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="165"/>
        <source>&amp;Force: remove it even if containers use it (-f)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="167"/>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="181"/>
        <source>Docker archive, for docker load and podman load (*.tar)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="182"/>
        <source>OCI archive, for podman, skopeo and containerd (*.tar)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="183"/>
        <source>Save %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="204"/>
        <source>Saving %1 to %2; the Jobs page shows its progress.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>porthole::gui::JobListModel</name>
    <message>
        <location filename="../app/gui/models/joblistmodel.cpp" line="68"/>
        <source>Running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/models/joblistmodel.cpp" line="69"/>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/models/joblistmodel.cpp" line="70"/>
        <source>Failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/models/joblistmodel.cpp" line="71"/>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/models/joblistmodel.cpp" line="108"/>
        <source>Job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/models/joblistmodel.cpp" line="109"/>
        <source>Progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/models/joblistmodel.cpp" line="110"/>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/models/joblistmodel.cpp" line="111"/>
        <source>Command</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>porthole::gui::JobsPage</name>
    <message>
        <location filename="../app/gui/pages/jobspage.cpp" line="30"/>
        <source>Jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/jobspage.cpp" line="36"/>
        <source>Job details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/jobspage.cpp" line="37"/>
        <source>Select a job to see its command and, if it failed, the whole error.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/jobspage.cpp" line="49"/>
        <source>&amp;Cancel job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/jobspage.cpp" line="86"/>
        <source>Cancelling %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/jobspage.cpp" line="99"/>
        <source>Command: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/jobspage.cpp" line="101"/>
        <source>Running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/jobspage.cpp" line="102"/>
        <source>Done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/jobspage.cpp" line="103"/>
        <source>Cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/jobspage.cpp" line="104"/>
        <source>Failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>porthole::gui::LayerInspector</name>
    <message>
        <location filename="../app/gui/inspector/layerinspector.cpp" line="46"/>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerinspector.cpp" line="46"/>
        <source>Created by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerinspector.cpp" line="46"/>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerinspector.cpp" line="46"/>
        <source>Comment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerinspector.cpp" line="56"/>
        <source>Layer changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerinspector.cpp" line="57"/>
        <source>Merged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerinspector.cpp" line="58"/>
        <source>The whole filesystem: each file&apos;s layer and the layers it hides</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerinspector.cpp" line="66"/>
        <source>Search by path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerinspector.cpp" line="140"/>
        <source>metadata only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerinspector.cpp" line="140"/>
        <source>This step changed only the image&apos;s configuration; it has no layer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerinspector.cpp" line="147"/>
        <source>Layer %1: %2 wasted (overwritten or deleted later)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerinspector.cpp" line="192"/>
        <source>No image</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/inspector/layerinspector.cpp" line="193"/>
        <source>%n layer(s), %1 of files; %2 overwritten or deleted by later layers: %3 % efficient</source>
        <translation>
            <numerusform>%n layer, %1 of files; %2 overwritten or deleted by later layers: %3 % efficient</numerusform>
            <numerusform>%n layers, %1 of files; %2 overwritten or deleted by later layers: %3 % efficient</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/inspector/layerinspector.cpp" line="202"/>
        <source>The merged filesystem: %n path(s)</source>
        <translation>
            <numerusform>The merged filesystem: %n path</numerusform>
            <numerusform>The merged filesystem: %n paths</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerinspector.cpp" line="204"/>
        <source>Select a step of the history.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerinspector.cpp" line="206"/>
        <source>This step changed only the image&apos;s configuration (metadata only); it has no layer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerinspector.cpp" line="210"/>
        <source>Layer %1: %2 added, %3 modified, %4 deleted; %5 of files, %6 of them overwritten or deleted later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerinspector.cpp" line="214"/>
        <source>(%1 of %2 match)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>porthole::gui::LayerStackView</name>
    <message numerus="yes">
        <location filename="../app/gui/inspector/layerstackview.cpp" line="66"/>
        <source>Container layer (read-write): %n change(s), %1</source>
        <translation>
            <numerusform>Container layer (read-write): %n change, %1</numerusform>
            <numerusform>Container layer (read-write): %n changes, %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerstackview.cpp" line="68"/>
        <source>Everything the container writes lands here; the image&apos;s layers below never change. Commit turns this layer into a new image&apos;s top layer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerstackview.cpp" line="72"/>
        <source>Image layers: reading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerstackview.cpp" line="89"/>
        <source>Image layer %1 of %2 (read-only): %3  %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/inspector/layerstackview.cpp" line="98"/>
        <source>%n more read-only layer(s) below: %1</source>
        <translation>
            <numerusform>%n more read-only layer below: %1</numerusform>
            <numerusform>%n more read-only layers below: %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerstackview.cpp" line="99"/>
        <source>The layer inspector (History and layers on the Images page) shows every layer.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>porthole::gui::LayerTreeModel</name>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="274"/>
        <source>file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="275"/>
        <source>directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="276"/>
        <source>symbolic link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="277"/>
        <source>hard link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="278"/>
        <source>whiteout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="279"/>
        <source>opaque directory (hides the lower layers&apos; contents)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="280"/>
        <source>device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="281"/>
        <source>named pipe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="282"/>
        <source>socket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="289"/>
        <source>Added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="289"/>
        <source>Modified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="289"/>
        <source>Deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="325"/>
        <source>same file as %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="325"/>
        <source>points to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="327"/>
        <source>hides the version in layer(s) %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="373"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="374"/>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="375"/>
        <source>Change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="376"/>
        <source>Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="377"/>
        <source>Hides layers</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>porthole::gui::LayersWindow</name>
    <message>
        <location filename="../app/gui/dialogs/layerswindow.cpp" line="17"/>
        <source>Layers of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/layerswindow.cpp" line="19"/>
        <source>Reading the layers of %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/layerswindow.cpp" line="22"/>
        <source>Reading the layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/layerswindow.cpp" line="60"/>
        <source>Could not read the layers of %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/layerswindow.cpp" line="62"/>
        <source>Cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>porthole::gui::LoginDialog</name>
    <message>
        <location filename="../app/gui/dialogs/logindialog.cpp" line="21"/>
        <source>Log in to a registry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/logindialog.cpp" line="24"/>
        <source>docker.io (Docker Hub)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/logindialog.cpp" line="26"/>
        <source>&amp;Registry:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/logindialog.cpp" line="28"/>
        <source>&amp;User name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/logindialog.cpp" line="31"/>
        <source>&amp;Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/logindialog.cpp" line="32"/>
        <source>Do not &amp;verify TLS (--tls-verify=false): plain HTTP or an unchecked certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/logindialog.cpp" line="35"/>
        <source>Porthole checks the user name and password with the registry, then keeps them where docker keeps its logins, so pulls and pushes use them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/logindialog.cpp" line="41"/>
        <source>Log in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/logindialog.cpp" line="100"/>
        <source>The login was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/logindialog.cpp" line="101"/>
        <source>Login failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>porthole::gui::LogsWindow</name>
    <message>
        <location filename="../app/gui/dialogs/logswindow.cpp" line="27"/>
        <source>Logs of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/logswindow.cpp" line="29"/>
        <source>Reading the log…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/logswindow.cpp" line="30"/>
        <source>&amp;Follow: show new lines as the container writes them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/logswindow.cpp" line="34"/>
        <source>Log of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/logswindow.cpp" line="100"/>
        <source>Could not read the log of %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/dialogs/logswindow.cpp" line="133"/>
        <source>The last %n line(s) of the log.</source>
        <translation>
            <numerusform>The last line of the log.</numerusform>
            <numerusform>The last %n lines of the log.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/dialogs/logswindow.cpp" line="134"/>
        <source>The whole log: %n line(s).</source>
        <translation>
            <numerusform>The whole log: %n line.</numerusform>
            <numerusform>The whole log: %n lines.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>porthole::gui::MainWindow</name>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="39"/>
        <source>Porthole</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="43"/>
        <source>Sections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="50"/>
        <source>Images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="51"/>
        <source>Containers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="52"/>
        <source>Volumes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="53"/>
        <source>Jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="64"/>
        <source>The porthole command that does what your last action did</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="71"/>
        <source>Actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="77"/>
        <source>Progress of the running jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="111"/>
        <source>%1 is an image archive (%2): loading it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="107"/>
        <source>%1 is a filesystem tarball: importing it as an image.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="109"/>
        <source>%1 is an image archive: loading it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="141"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="142"/>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="144"/>
        <source>&amp;Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="147"/>
        <source>&amp;Copy command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="150"/>
        <source>C&amp;lean up…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="152"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="155"/>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="161"/>
        <source>&amp;Actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="211"/>
        <source>%1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="213"/>
        <source>%1: cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="214"/>
        <source>%1: done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="228"/>
        <source>%1 failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="233"/>
        <source>Command: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="234"/>
        <source>Show in Jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="235"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/mainwindow.cpp" line="257"/>
        <source>%n job(s) running</source>
        <translation>
            <numerusform>%n job running</numerusform>
            <numerusform>%n jobs running</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="279"/>
        <source>Logged in to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="286"/>
        <source>Saved. Restart Porthole to use the new store root or language.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="288"/>
        <source>Settings saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="79"/>
        <source>Store: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="92"/>
        <source>Could not read the store: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/mainwindow.cpp" line="94"/>
        <source>%n image(s) in %1</source>
        <translation>
            <numerusform>%n image in %1</numerusform>
            <numerusform>%n images in %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>porthole::gui::Page</name>
    <message>
        <location filename="../app/gui/pages/page.cpp" line="59"/>
        <location filename="../app/gui/pages/page.cpp" line="60"/>
        <source>Filter</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>porthole::gui::PullDialog</name>
    <message>
        <location filename="../app/gui/dialogs/pulldialog.cpp" line="25"/>
        <source>Pull an image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/pulldialog.cpp" line="28"/>
        <source>for example alpine:latest or localhost:5000/app:1.0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/pulldialog.cpp" line="30"/>
        <source>&amp;Image:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/pulldialog.cpp" line="33"/>
        <source>This machine&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/pulldialog.cpp" line="36"/>
        <source>Platform</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/pulldialog.cpp" line="37"/>
        <source>&amp;Platform:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/pulldialog.cpp" line="49"/>
        <source>Layer progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/pulldialog.cpp" line="56"/>
        <source>&amp;Pull</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/pulldialog.cpp" line="58"/>
        <source>Cancel pull</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/pulldialog.cpp" line="62"/>
        <source>Close this window; a running pull goes on and the Jobs page shows it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/pulldialog.cpp" line="128"/>
        <source>Pulling %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/pulldialog.cpp" line="146"/>
        <source>Layer %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/pulldialog.cpp" line="156"/>
        <source>%1: %2 of %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/pulldialog.cpp" line="174"/>
        <source>%1 is up to date.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/pulldialog.cpp" line="174"/>
        <source>Pulled %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/pulldialog.cpp" line="181"/>
        <source>The pull was cancelled; nothing of it was kept.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>porthole::gui::RunDialog</name>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="28"/>
        <source>Name &quot;%1&quot;: use letters, digits, &apos;_&apos;, &apos;.&apos; and &apos;-&apos;, at least two characters, starting with a letter or digit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="36"/>
        <source>Environment &quot;%1&quot;: the variable name is missing before &apos;=&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="38"/>
        <source>Environment &quot;%1&quot;: a variable name cannot contain spaces.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="52"/>
        <source>Volume &quot;%1&quot;: write /host/path:/container/path or name:/container/path, optionally followed by :ro.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="62"/>
        <source>Port &quot;%1&quot;: write HOST_PORT:CONTAINER_PORT (for example 8080:80), optionally with an address before and /udp after.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="75"/>
        <source>Memory limit &quot;%1&quot;: write a size such as 512m or 2g.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="77"/>
        <source>Memory limit &quot;%1&quot;: the smallest limit is 6m.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="113"/>
        <source>Run %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="117"/>
        <source>&amp;Image:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="119"/>
        <source>empty: a generated name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="120"/>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="122"/>
        <source>empty: the image&apos;s command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="123"/>
        <source>&amp;Command:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="125"/>
        <source>KEY=value, one per line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="125"/>
        <source>Environment variables</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="126"/>
        <source>&amp;Environment:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="128"/>
        <source>/host/path:/container/path[:ro], one per line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="128"/>
        <source>Volumes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="129"/>
        <source>Add &amp;folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="130"/>
        <source>Choose a folder of this computer to mount in the container</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="136"/>
        <source>&amp;Volumes:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="140"/>
        <source>8080:80, one per line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="140"/>
        <source>Published ports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="141"/>
        <source>&amp;Ports:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="144"/>
        <source>Private (its own network, the default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="145"/>
        <source>Host (shares this computer&apos;s network)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="146"/>
        <source>None (no network)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="147"/>
        <source>Ne&amp;twork:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="164"/>
        <source>empty: no limit; for example 512m or 2g</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="165"/>
        <source>&amp;Memory limit:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="170"/>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="176"/>
        <source>No limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="171"/>
        <source>How many of this computer&apos;s CPUs the container may use at most</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="172"/>
        <source>CP&amp;Us:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="177"/>
        <source>How many processes and threads the container may have at once; this stops a fork bomb</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="178"/>
        <source>Process &amp;limit:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="149"/>
        <source>Keep standard input &amp;open (-i)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="150"/>
        <source>Allocate a &amp;terminal (-t)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="151"/>
        <source>&amp;Remove the container when it exits (--rm)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="156"/>
        <source>Options:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="160"/>
        <source>The container starts in the background. With -i and -t a shell keeps running, and you can attach to it later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="167"/>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="211"/>
        <source>Choose the image to run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="217"/>
        <source>Command: a quote is not closed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="239"/>
        <source>Folder to mount</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>porthole::gui::SettingsDialog</name>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="48"/>
        <source>&quot;%1&quot;: write the host without a scheme (for example, localhost:5000).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="50"/>
        <source>&quot;%1&quot;: a registry is a host and an optional port, without a path.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="55"/>
        <source>&quot;%1&quot; is not a host name or a host:port.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="62"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="68"/>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="69"/>
        <source>Choose the store root folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="74"/>
        <source>Store &amp;root:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="79"/>
        <source>Name &lt;email@example.com&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="80"/>
        <source>Default &amp;author:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="83"/>
        <source>System</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="88"/>
        <source>&amp;Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="90"/>
        <source>localhost:5000</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="90"/>
        <source>Insecure registries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="92"/>
        <source>&amp;Insecure registries:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="94"/>
        <source>One host[:port] per line. Porthole reaches these registries over plain HTTP or without checking their certificate (--tls-verify=false).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="97"/>
        <source>Log in to a &amp;registry…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="99"/>
        <source>Logins:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="101"/>
        <source>Terminal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="107"/>
        <source>&amp;Font:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="110"/>
        <source> pt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="112"/>
        <source>Font si&amp;ze:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="114"/>
        <source>Zoom In and Zoom Out in the terminal (its menu, or Ctrl and the mouse wheel) start from this size; the zoom is kept until Reset Zoom.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="119"/>
        <source>The store root and the language take effect when Porthole is restarted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="124"/>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="179"/>
        <source>Store root</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>porthole::gui::TerminalTabs</name>
    <message>
        <location filename="../app/gui/terminal/terminaltabs.cpp" line="34"/>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/terminal/terminaltabs.cpp" line="35"/>
        <source>&amp;Paste</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/terminal/terminaltabs.cpp" line="36"/>
        <source>Zoom &amp;In</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/terminal/terminaltabs.cpp" line="37"/>
        <source>Zoom &amp;Out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/terminal/terminaltabs.cpp" line="38"/>
        <source>&amp;Reset Zoom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/terminal/terminaltabs.cpp" line="145"/>
        <source>%1 (exited %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/terminal/terminaltabs.cpp" line="146"/>
        <source>%1 (ended)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>porthole::gui::VolumeListModel</name>
    <message>
        <location filename="../app/gui/models/volumelistmodel.cpp" line="42"/>
        <source>Not used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/models/volumelistmodel.cpp" line="53"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/models/volumelistmodel.cpp" line="54"/>
        <source>Driver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/models/volumelistmodel.cpp" line="55"/>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/models/volumelistmodel.cpp" line="56"/>
        <source>Used by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/models/volumelistmodel.cpp" line="57"/>
        <source>Mountpoint</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>porthole::gui::VolumesPage</name>
    <message>
        <location filename="../app/gui/pages/volumespage.cpp" line="24"/>
        <source>Volumes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/volumespage.cpp" line="51"/>
        <source>Volumes appear here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/volumespage.cpp" line="57"/>
        <source>Named volumes keep data apart from a container, for example with -v data:/var/lib/data in the Run dialog, or porthole volume create data. There are none yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/pages/volumespage.cpp" line="113"/>
        <source>Could not list the volumes: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>porthole::service::EngineService</name>
    <message>
        <location filename="../engine/service/servicejobs.cpp" line="19"/>
        <source>Pull %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../engine/service/servicejobs.cpp" line="27"/>
        <source>Push %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../engine/service/servicejobs.cpp" line="35"/>
        <source>Tag %1 as %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../engine/service/servicejobs.cpp" line="41"/>
        <source>Remove image %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../engine/service/servicejobs.cpp" line="47"/>
        <source>Import %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../engine/service/servicejobs.cpp" line="55"/>
        <source>Commit %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../engine/service/servicejobs.cpp" line="61"/>
        <source>Run %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../engine/service/servicejobs.cpp" line="71"/>
        <source>Save %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../engine/service/servicejobs.cpp" line="79"/>
        <source>Load %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../engine/service/servicejobs.cpp" line="95"/>
        <source>Export %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../engine/service/servicejobs.cpp" line="103"/>
        <source>Log in to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../engine/service/servicequeries.cpp" line="12"/>
        <source>History of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../engine/service/servicequeries.cpp" line="18"/>
        <location filename="../engine/service/engineservice.cpp" line="348"/>
        <source>Changes of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../engine/service/servicequeries.cpp" line="25"/>
        <source>List volumes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../engine/service/servicejobs.cpp" line="111"/>
        <source>Clean up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../engine/service/servicequeries.cpp" line="32"/>
        <source>Layers of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../engine/service/servicequeries.cpp" line="45"/>
        <source>Logs of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../engine/service/servicejobs.cpp" line="163"/>
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../engine/service/servicejobs.cpp" line="119"/>
        <source>Inspect %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../engine/service/servicejobs.cpp" line="128"/>
        <source>Extract files</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
