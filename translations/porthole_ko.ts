<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko" sourcelanguage="en">
<context>
    <name>porthole::gui::AttachSession</name>
    <message>
        <location filename="../app/gui/terminal/attachsession.cpp" line="60"/>
        <source>Could not attach to the container: %1</source>
        <translation>컨테이너에 연결하지 못했습니다: %1</translation>
    </message>
    <message>
        <location filename="../app/gui/terminal/attachsession.cpp" line="100"/>
        <source>The container&apos;s attach socket sent a malformed frame.</source>
        <translation>컨테이너의 연결 소켓이 잘못된 프레임을 보냈습니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/terminal/attachsession.cpp" line="106"/>
        <source>The connection to the container closed.</source>
        <translation>컨테이너와의 연결이 끊어졌습니다.</translation>
    </message>
</context>
<context>
    <name>porthole::gui::ChangesView</name>
    <message>
        <location filename="../app/gui/inspector/changesview.cpp" line="45"/>
        <source>Added</source>
        <translation>추가</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/changesview.cpp" line="45"/>
        <source>Changed</source>
        <translation>변경</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/changesview.cpp" line="45"/>
        <source>Deleted</source>
        <translation>삭제</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/changesview.cpp" line="64"/>
        <source>Change</source>
        <translation>변경 종류</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/changesview.cpp" line="65"/>
        <source>Path</source>
        <translation>경로</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/changesview.cpp" line="66"/>
        <source>Size</source>
        <translation>크기</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/changesview.cpp" line="119"/>
        <source>No container</source>
        <translation>컨테이너 없음</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/inspector/changesview.cpp" line="120"/>
        <source>%n change(s), %1 of file content. The next commit&apos;s layer: about %2 (uncompressed tar, estimated).</source>
        <translation>
            <numerusform>변경 %n개, 파일 내용 %1. 다음 커밋의 레이어: 약 %2 (압축하지 않은 tar 기준 추정치).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>porthole::gui::ChangesWindow</name>
    <message>
        <location filename="../app/gui/dialogs/changeswindow.cpp" line="20"/>
        <source>Changes in %1</source>
        <translation>%1의 변경 사항</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/dialogs/changeswindow.cpp" line="73"/>
        <source>%1 is running: the changes are read again every %n second(s).</source>
        <translation>
            <numerusform>%1이(가) 실행 중입니다: 변경 사항을 %n초마다 다시 읽습니다.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/changeswindow.cpp" line="75"/>
        <source>%1 is not running: these changes stay as they are.</source>
        <translation>%1이(가) 실행 중이 아닙니다: 변경 사항은 이대로 유지됩니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/changeswindow.cpp" line="113"/>
        <source>Could not read the changes of %1: %2</source>
        <translation>%1의 변경 사항을 읽지 못했습니다: %2</translation>
    </message>
</context>
<context>
    <name>porthole::gui::CleanupDialog</name>
    <message>
        <location filename="../app/gui/dialogs/cleanupdialog.cpp" line="19"/>
        <source>Clean up</source>
        <translation>정리</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/cleanupdialog.cpp" line="21"/>
        <source>Removes what no container uses. Images and volumes a container uses, running or not, stay.</source>
        <translation>어떤 컨테이너도 쓰지 않는 것을 지웁니다. 컨테이너가 쓰는 이미지와 볼륨은 실행 중이든 아니든 남습니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/cleanupdialog.cpp" line="22"/>
        <source>Stopped &amp;containers (their read-write layers go with them)</source>
        <translation>멈춘 컨테이너(&amp;C) (읽기·쓰기 레이어도 함께 지워짐)</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/cleanupdialog.cpp" line="23"/>
        <source>&amp;Dangling images (no name, no container)</source>
        <translation>매달린 이미지(&amp;D) (이름도 컨테이너도 없음)</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/cleanupdialog.cpp" line="24"/>
        <source>&amp;All images no container uses, named ones too</source>
        <translation>컨테이너가 쓰지 않는 모든 이미지(&amp;A), 이름 있는 것도</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/cleanupdialog.cpp" line="25"/>
        <source>Unused &amp;volumes (their data is deleted)</source>
        <translation>쓰지 않는 볼륨(&amp;V) (데이터가 지워짐)</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/cleanupdialog.cpp" line="31"/>
        <source>Remove</source>
        <translation>지우기</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/cleanupdialog.cpp" line="89"/>
        <source>The clean-up was cancelled.</source>
        <translation>정리가 취소되었습니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/cleanupdialog.cpp" line="90"/>
        <source>The clean-up failed: %1</source>
        <translation>정리에 실패했습니다: %1</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/cleanupdialog.cpp" line="97"/>
        <source>Removed %1, %2 and %3: %4 freed.</source>
        <translation>%1, %2, %3을(를) 지웠습니다: %4 확보.</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/dialogs/cleanupdialog.cpp" line="98"/>
        <source>%n container(s)</source>
        <translation>
            <numerusform>컨테이너 %n개</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/dialogs/cleanupdialog.cpp" line="98"/>
        <source>%n image(s)</source>
        <translation>
            <numerusform>이미지 %n개</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/dialogs/cleanupdialog.cpp" line="99"/>
        <source>%n volume(s)</source>
        <translation>
            <numerusform>볼륨 %n개</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/cleanupdialog.cpp" line="102"/>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
</context>
<context>
    <name>porthole::gui::CommandPreview</name>
    <message>
        <location filename="../app/gui/dialogs/commandpreview.cpp" line="18"/>
        <source>Command:</source>
        <translation>명령:</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commandpreview.cpp" line="23"/>
        <source>The equivalent porthole command appears here.</source>
        <translation>같은 일을 하는 porthole 명령이 여기에 표시됩니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commandpreview.cpp" line="24"/>
        <source>Equivalent command</source>
        <translation>같은 일을 하는 명령</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commandpreview.cpp" line="28"/>
        <source>Copy</source>
        <translation>복사</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commandpreview.cpp" line="30"/>
        <source>Copy the command to the clipboard</source>
        <translation>명령을 클립보드에 복사합니다</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commandpreview.cpp" line="31"/>
        <source>Copy command</source>
        <translation>명령 복사</translation>
    </message>
</context>
<context>
    <name>porthole::gui::CommitDialog</name>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="44"/>
        <source>An image name to commit to cannot have a digest (@sha256:…).</source>
        <translation>커밋할 이미지 이름에는 다이제스트(@sha256:…)를 쓸 수 없습니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="51"/>
        <source>Commit %1</source>
        <translation>%1 커밋</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="53"/>
        <source>%1 (%2), from %3, %4</source>
        <translation>%1 (%2), 이미지 %3, %4</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="55"/>
        <source>Container:</source>
        <translation>컨테이너:</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="58"/>
        <source>repository[:tag] (empty: an untagged image)</source>
        <translation>저장소[:태그] (비우면 태그 없는 이미지)</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="60"/>
        <source>&amp;Image name:</source>
        <translation>이미지 이름(&amp;I):</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="62"/>
        <source>Name &lt;email@example.com&gt;</source>
        <translation>이름 &lt;email@example.com&gt;</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="63"/>
        <source>&amp;Author:</source>
        <translation>작성자(&amp;A):</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="65"/>
        <source>What changed, for the image&apos;s history</source>
        <translation>무엇이 바뀌었는지 (이미지 기록에 남습니다)</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="66"/>
        <source>&amp;Message:</source>
        <translation>메시지(&amp;M):</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="68"/>
        <source>One instruction per line, for example:
CMD [&quot;sh&quot;]
ENV MODE=production</source>
        <translation>한 줄에 명령어 하나씩, 예:
CMD [&quot;sh&quot;]
ENV MODE=production</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="69"/>
        <source>Changes to the image configuration</source>
        <translation>이미지 설정 변경</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="70"/>
        <source>&amp;Changes:</source>
        <translation>변경(&amp;C):</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="72"/>
        <source>Allowed: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, USER, VOLUME, WORKDIR, STOPSIGNAL.</source>
        <translation>쓸 수 있는 명령어: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, USER, VOLUME, WORKDIR, STOPSIGNAL.</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="75"/>
        <source>&amp;Pause the container while committing</source>
        <translation>커밋하는 동안 컨테이너 일시 정지(&amp;P)</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="79"/>
        <source>Pausing freezes the container&apos;s processes for the moment the files are copied, so the image does not catch a file half-written; they resume as soon as the commit is done.</source>
        <translation>파일을 복사하는 동안 컨테이너의 프로세스를 멈춰 두어, 쓰다 만 파일이 이미지에 들어가지 않게 합니다. 커밋이 끝나면 프로세스는 바로 다시 실행됩니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="86"/>
        <source>Commit</source>
        <translation>커밋</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="120"/>
        <source>Image name: %1</source>
        <translation>이미지 이름: %1</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/commitdialog.cpp" line="123"/>
        <source>Line %1: %2</source>
        <translation>%1번째 줄: %2</translation>
    </message>
</context>
<context>
    <name>porthole::gui::ContainerListModel</name>
    <message>
        <location filename="../app/gui/models/containerlistmodel.cpp" line="66"/>
        <source>Container ID</source>
        <translation>컨테이너 ID</translation>
    </message>
    <message>
        <location filename="../app/gui/models/containerlistmodel.cpp" line="67"/>
        <source>Image</source>
        <translation>이미지</translation>
    </message>
    <message>
        <location filename="../app/gui/models/containerlistmodel.cpp" line="68"/>
        <source>Command</source>
        <translation>명령</translation>
    </message>
    <message>
        <location filename="../app/gui/models/containerlistmodel.cpp" line="26"/>
        <location filename="../app/gui/models/containerlistmodel.cpp" line="69"/>
        <source>Created</source>
        <translation>생성</translation>
    </message>
    <message>
        <location filename="../app/gui/models/containerlistmodel.cpp" line="20"/>
        <source>Running</source>
        <translation>실행 중</translation>
    </message>
    <message>
        <location filename="../app/gui/models/containerlistmodel.cpp" line="22"/>
        <source>Paused</source>
        <translation>일시 정지됨</translation>
    </message>
    <message>
        <location filename="../app/gui/models/containerlistmodel.cpp" line="24"/>
        <source>Exited (%1)</source>
        <translation>종료됨 (%1)</translation>
    </message>
    <message>
        <location filename="../app/gui/models/containerlistmodel.cpp" line="70"/>
        <source>Status</source>
        <translation>상태</translation>
    </message>
    <message>
        <location filename="../app/gui/models/containerlistmodel.cpp" line="71"/>
        <source>Ports</source>
        <translation>포트</translation>
    </message>
    <message>
        <location filename="../app/gui/models/containerlistmodel.cpp" line="72"/>
        <source>Names</source>
        <translation>이름</translation>
    </message>
</context>
<context>
    <name>porthole::gui::ContainersPage</name>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="40"/>
        <source>Filter by name, ID, image or status</source>
        <translation>이름, ID, 이미지 또는 상태로 거르기</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="45"/>
        <source>Containers</source>
        <translation>컨테이너</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="54"/>
        <source>&amp;Start</source>
        <translation>시작(&amp;S)</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="55"/>
        <source>St&amp;op</source>
        <translation>중지(&amp;O)</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="56"/>
        <source>&amp;Kill</source>
        <translation>강제 종료(&amp;K)</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="57"/>
        <source>R&amp;estart</source>
        <translation>재시작(&amp;E)</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="58"/>
        <source>&amp;Pause</source>
        <translation>일시 정지(&amp;P)</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="59"/>
        <source>&amp;Unpause</source>
        <translation>다시 시작(&amp;U)</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="60"/>
        <source>Re&amp;move…</source>
        <translation>삭제(&amp;M)…</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="62"/>
        <source>&amp;Commit…</source>
        <translation>커밋(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="63"/>
        <source>&amp;Logs</source>
        <translation>로그(&amp;L)</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="64"/>
        <source>E&amp;xport…</source>
        <translation>내보내기(&amp;X)…</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="65"/>
        <source>&amp;Diff</source>
        <translation>변경 내역(&amp;D)</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="67"/>
        <source>&amp;Attach</source>
        <translation>연결(&amp;A)</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="68"/>
        <source>Open s&amp;hell</source>
        <translation>셸 열기(&amp;H)</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="134"/>
        <source>Terminals</source>
        <translation>터미널</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="173"/>
        <source>%1 (shell)</source>
        <translation>%1 (셸)</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="225"/>
        <source>Export %1</source>
        <translation>%1 내보내기</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="228"/>
        <source>Tar archives (*.tar)</source>
        <translation>tar 아카이브 (*.tar)</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="240"/>
        <source>Exporting %1 to %2; the Jobs page shows its progress.</source>
        <translation>%1을(를) %2(으)로 내보내는 중입니다. 진행 상황은 작업 페이지에서 볼 수 있습니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="192"/>
        <source>Remove container</source>
        <translation>컨테이너 삭제</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="192"/>
        <source>Remove the container %1?</source>
        <translation>컨테이너 %1을(를) 삭제할까요?</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="194"/>
        <source>Its files and its log are deleted; images are not touched.</source>
        <translation>컨테이너의 파일과 로그가 삭제됩니다. 이미지는 그대로 남습니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="195"/>
        <source>&amp;Force: kill it first if it is running (-f)</source>
        <translation>강제(&amp;F): 실행 중이면 먼저 강제 종료 (-f)</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="198"/>
        <source>Remove</source>
        <translation>삭제</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/containerspage.cpp" line="199"/>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
</context>
<context>
    <name>porthole::gui::Dialogs</name>
    <message>
        <location filename="../app/gui/dialogs/formutil.cpp" line="63"/>
        <source>OK</source>
        <translation>확인</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/formutil.cpp" line="65"/>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/formutil.cpp" line="67"/>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
</context>
<context>
    <name>porthole::gui::ExecSession</name>
    <message>
        <location filename="../app/gui/terminal/execsession.cpp" line="112"/>
        <source>Opening a shell is not available here.</source>
        <translation>여기서는 셸을 열 수 없습니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/terminal/execsession.cpp" line="122"/>
        <source>Could not open a shell: %1</source>
        <translation>셸을 열지 못했습니다: %1</translation>
    </message>
    <message>
        <location filename="../app/gui/terminal/execsession.cpp" line="136"/>
        <source>The shell got no terminal.</source>
        <translation>셸에 터미널이 할당되지 않았습니다.</translation>
    </message>
</context>
<context>
    <name>porthole::gui::ImageArchiveMimeData</name>
    <message>
        <location filename="../app/gui/dnd/imagearchivemime.cpp" line="66"/>
        <source>Could not make a temporary directory for the archive: %1</source>
        <translation>아카이브를 담을 임시 디렉터리를 만들지 못했습니다: %1</translation>
    </message>
</context>
<context>
    <name>porthole::gui::ImageListModel</name>
    <message>
        <location filename="../app/gui/models/imagelistmodel.cpp" line="56"/>
        <source>Repository</source>
        <translation>저장소</translation>
    </message>
    <message>
        <location filename="../app/gui/models/imagelistmodel.cpp" line="57"/>
        <source>Tag</source>
        <translation>태그</translation>
    </message>
    <message>
        <location filename="../app/gui/models/imagelistmodel.cpp" line="58"/>
        <source>Image ID</source>
        <translation>이미지 ID</translation>
    </message>
    <message>
        <location filename="../app/gui/models/imagelistmodel.cpp" line="59"/>
        <source>Created</source>
        <translation>생성</translation>
    </message>
    <message>
        <location filename="../app/gui/models/imagelistmodel.cpp" line="60"/>
        <source>Size</source>
        <translation>크기</translation>
    </message>
</context>
<context>
    <name>porthole::gui::ImagesPage</name>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="32"/>
        <source>Filter by repository, tag or image ID</source>
        <translation>저장소, 태그 또는 이미지 ID로 거르기</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="37"/>
        <source>Images</source>
        <translation>이미지</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="48"/>
        <source>&amp;Pull…</source>
        <translation>가져오기(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="49"/>
        <source>&amp;Run…</source>
        <translation>실행(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="51"/>
        <source>&amp;Tag…</source>
        <translation>태그(&amp;T)…</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="52"/>
        <source>P&amp;ush</source>
        <translation>푸시(&amp;U)</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="53"/>
        <source>Re&amp;move…</source>
        <translation>삭제(&amp;M)…</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="56"/>
        <source>&amp;Save…</source>
        <translation>저장(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="55"/>
        <source>&amp;History and layers</source>
        <translation>기록과 레이어(&amp;H)</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="134"/>
        <source>Tag %1</source>
        <translation>%1 태그</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="135"/>
        <source>New name for %1 (repository[:tag]):</source>
        <translation>%1의 새 이름 (저장소[:태그]):</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="139"/>
        <source>Tag</source>
        <translation>태그</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="140"/>
        <location filename="../app/gui/pages/imagespage.cpp" line="168"/>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="155"/>
        <source>Pushing %1; the Jobs page shows its progress.</source>
        <translation>%1을(를) 푸시하는 중입니다. 진행 상황은 작업 페이지에 나옵니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="163"/>
        <source>Remove image</source>
        <translation>이미지 삭제</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="163"/>
        <source>Remove the image %1?</source>
        <translation>이미지 %1을(를) 삭제할까요?</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="164"/>
        <source>An image with several names loses only this name; its layers stay until no name is left.</source>
        <translation>이름이 여럿인 이미지는 이 이름만 사라집니다. 레이어는 이름이 하나도 남지 않을 때까지 남아 있습니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="165"/>
        <source>&amp;Force: remove it even if containers use it (-f)</source>
        <translation>강제(&amp;F): 컨테이너가 쓰고 있어도 삭제 (-f)</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="167"/>
        <source>Remove</source>
        <translation>삭제</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="181"/>
        <source>Docker archive, for docker load and podman load (*.tar)</source>
        <translation>Docker 아카이브, docker load와 podman load용 (*.tar)</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="182"/>
        <source>OCI archive, for podman, skopeo and containerd (*.tar)</source>
        <translation>OCI 아카이브, podman, skopeo, containerd용 (*.tar)</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="183"/>
        <source>Save %1</source>
        <translation>%1 저장</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/imagespage.cpp" line="204"/>
        <source>Saving %1 to %2; the Jobs page shows its progress.</source>
        <translation>%1을(를) %2에 저장하는 중입니다. 진행 상황은 작업 페이지에서 볼 수 있습니다.</translation>
    </message>
</context>
<context>
    <name>porthole::gui::JobListModel</name>
    <message>
        <location filename="../app/gui/models/joblistmodel.cpp" line="68"/>
        <source>Running</source>
        <translation>실행 중</translation>
    </message>
    <message>
        <location filename="../app/gui/models/joblistmodel.cpp" line="69"/>
        <source>Done</source>
        <translation>완료</translation>
    </message>
    <message>
        <location filename="../app/gui/models/joblistmodel.cpp" line="70"/>
        <source>Failed: %1</source>
        <translation>실패: %1</translation>
    </message>
    <message>
        <location filename="../app/gui/models/joblistmodel.cpp" line="71"/>
        <source>Cancelled</source>
        <translation>취소됨</translation>
    </message>
    <message>
        <location filename="../app/gui/models/joblistmodel.cpp" line="108"/>
        <source>Job</source>
        <translation>작업</translation>
    </message>
    <message>
        <location filename="../app/gui/models/joblistmodel.cpp" line="109"/>
        <source>Progress</source>
        <translation>진행</translation>
    </message>
    <message>
        <location filename="../app/gui/models/joblistmodel.cpp" line="110"/>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <location filename="../app/gui/models/joblistmodel.cpp" line="111"/>
        <source>Command</source>
        <translation>명령</translation>
    </message>
</context>
<context>
    <name>porthole::gui::JobsPage</name>
    <message>
        <location filename="../app/gui/pages/jobspage.cpp" line="30"/>
        <source>Jobs</source>
        <translation>작업</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/jobspage.cpp" line="36"/>
        <source>Job details</source>
        <translation>작업 정보</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/jobspage.cpp" line="37"/>
        <source>Select a job to see its command and, if it failed, the whole error.</source>
        <translation>작업을 고르면 명령과, 실패했다면 오류 전체가 여기에 나옵니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/jobspage.cpp" line="49"/>
        <source>&amp;Cancel job</source>
        <translation>작업 취소(&amp;C)</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/jobspage.cpp" line="86"/>
        <source>Cancelling %1…</source>
        <translation>%1 취소하는 중…</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/jobspage.cpp" line="99"/>
        <source>Command: %1</source>
        <translation>명령: %1</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/jobspage.cpp" line="101"/>
        <source>Running.</source>
        <translation>실행 중입니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/jobspage.cpp" line="102"/>
        <source>Done.</source>
        <translation>완료했습니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/jobspage.cpp" line="103"/>
        <source>Cancelled.</source>
        <translation>취소했습니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/jobspage.cpp" line="104"/>
        <source>Failed: %1</source>
        <translation>실패: %1</translation>
    </message>
</context>
<context>
    <name>porthole::gui::LayerInspector</name>
    <message>
        <location filename="../app/gui/inspector/layerinspector.cpp" line="46"/>
        <source>Created</source>
        <translation>생성</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerinspector.cpp" line="46"/>
        <source>Created by</source>
        <translation>생성 명령</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerinspector.cpp" line="46"/>
        <source>Size</source>
        <translation>크기</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerinspector.cpp" line="46"/>
        <source>Comment</source>
        <translation>설명</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerinspector.cpp" line="56"/>
        <source>Layer changes</source>
        <translation>레이어 변경 내역</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerinspector.cpp" line="57"/>
        <source>Merged</source>
        <translation>합쳐진 파일 시스템</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerinspector.cpp" line="58"/>
        <source>The whole filesystem: each file&apos;s layer and the layers it hides</source>
        <translation>전체 파일 시스템: 각 파일이 속한 레이어와 그 파일이 가리는 레이어</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerinspector.cpp" line="66"/>
        <source>Search by path</source>
        <translation>경로로 찾기</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerinspector.cpp" line="140"/>
        <source>metadata only</source>
        <translation>메타데이터만</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerinspector.cpp" line="140"/>
        <source>This step changed only the image&apos;s configuration; it has no layer.</source>
        <translation>이 단계는 이미지 설정만 바꿨으므로 레이어가 없습니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerinspector.cpp" line="147"/>
        <source>Layer %1: %2 wasted (overwritten or deleted later)</source>
        <translation>레이어 %1: %2 낭비 (나중에 덮어쓰거나 삭제됨)</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerinspector.cpp" line="192"/>
        <source>No image</source>
        <translation>이미지 없음</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/inspector/layerinspector.cpp" line="193"/>
        <source>%n layer(s), %1 of files; %2 overwritten or deleted by later layers: %3 % efficient</source>
        <translation>
            <numerusform>레이어 %n개, 파일 %1; 그중 %2는 나중 레이어에서 덮어쓰거나 삭제됨: 효율 %3 %</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/inspector/layerinspector.cpp" line="202"/>
        <source>The merged filesystem: %n path(s)</source>
        <translation>
            <numerusform>합쳐진 파일 시스템: 경로 %n개</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerinspector.cpp" line="204"/>
        <source>Select a step of the history.</source>
        <translation>기록에서 단계를 하나 고르세요.</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerinspector.cpp" line="206"/>
        <source>This step changed only the image&apos;s configuration (metadata only); it has no layer.</source>
        <translation>이 단계는 이미지 설정만 바꿨으므로(메타데이터만) 레이어가 없습니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerinspector.cpp" line="210"/>
        <source>Layer %1: %2 added, %3 modified, %4 deleted; %5 of files, %6 of them overwritten or deleted later</source>
        <translation>레이어 %1: 추가 %2, 수정 %3, 삭제 %4; 파일 %5, 그중 %6는 나중에 덮어쓰거나 삭제됨</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerinspector.cpp" line="214"/>
        <source>(%1 of %2 match)</source>
        <translation>(%2개 중 %1개 일치)</translation>
    </message>
</context>
<context>
    <name>porthole::gui::LayerStackView</name>
    <message numerus="yes">
        <location filename="../app/gui/inspector/layerstackview.cpp" line="66"/>
        <source>Container layer (read-write): %n change(s), %1</source>
        <translation>
            <numerusform>컨테이너 레이어 (읽기·쓰기): 변경 %n개, %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerstackview.cpp" line="68"/>
        <source>Everything the container writes lands here; the image&apos;s layers below never change. Commit turns this layer into a new image&apos;s top layer.</source>
        <translation>컨테이너가 쓰는 모든 것은 여기에 기록되고, 아래의 이미지 레이어는 바뀌지 않습니다. 커밋하면 이 레이어가 새 이미지의 맨 위 레이어가 됩니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerstackview.cpp" line="72"/>
        <source>Image layers: reading…</source>
        <translation>이미지 레이어: 읽는 중…</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerstackview.cpp" line="89"/>
        <source>Image layer %1 of %2 (read-only): %3  %4</source>
        <translation>이미지 레이어 %1/%2 (읽기 전용): %3  %4</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/inspector/layerstackview.cpp" line="98"/>
        <source>%n more read-only layer(s) below: %1</source>
        <translation>
            <numerusform>아래에 읽기 전용 레이어 %n개 더: %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layerstackview.cpp" line="99"/>
        <source>The layer inspector (History and layers on the Images page) shows every layer.</source>
        <translation>레이어 검사기(이미지 페이지의 기록과 레이어)에서 모든 레이어를 볼 수 있습니다.</translation>
    </message>
</context>
<context>
    <name>porthole::gui::LayerTreeModel</name>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="274"/>
        <source>file</source>
        <translation>파일</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="275"/>
        <source>directory</source>
        <translation>디렉터리</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="276"/>
        <source>symbolic link</source>
        <translation>심볼릭 링크</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="277"/>
        <source>hard link</source>
        <translation>하드 링크</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="278"/>
        <source>whiteout</source>
        <translation>화이트아웃</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="279"/>
        <source>opaque directory (hides the lower layers&apos; contents)</source>
        <translation>불투명 디렉터리 (아래 레이어의 내용을 가림)</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="280"/>
        <source>device</source>
        <translation>장치</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="281"/>
        <source>named pipe</source>
        <translation>이름 있는 파이프</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="282"/>
        <source>socket</source>
        <translation>소켓</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="289"/>
        <source>Added</source>
        <translation>추가</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="289"/>
        <source>Modified</source>
        <translation>수정</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="289"/>
        <source>Deleted</source>
        <translation>삭제</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="325"/>
        <source>same file as %1</source>
        <translation>%1과(와) 같은 파일</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="325"/>
        <source>points to %1</source>
        <translation>%1을(를) 가리킴</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="327"/>
        <source>hides the version in layer(s) %1</source>
        <translation>레이어 %1의 버전을 가림</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="373"/>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="374"/>
        <source>Size</source>
        <translation>크기</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="375"/>
        <source>Change</source>
        <translation>변경</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="376"/>
        <source>Layer</source>
        <translation>레이어</translation>
    </message>
    <message>
        <location filename="../app/gui/inspector/layertreemodel.cpp" line="377"/>
        <source>Hides layers</source>
        <translation>가리는 레이어</translation>
    </message>
</context>
<context>
    <name>porthole::gui::LayersWindow</name>
    <message>
        <location filename="../app/gui/dialogs/layerswindow.cpp" line="17"/>
        <source>Layers of %1</source>
        <translation>%1의 레이어</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/layerswindow.cpp" line="19"/>
        <source>Reading the layers of %1…</source>
        <translation>%1의 레이어를 읽는 중…</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/layerswindow.cpp" line="22"/>
        <source>Reading the layers</source>
        <translation>레이어 읽는 중</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/layerswindow.cpp" line="60"/>
        <source>Could not read the layers of %1: %2</source>
        <translation>%1의 레이어를 읽지 못했습니다: %2</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/layerswindow.cpp" line="62"/>
        <source>Cancelled.</source>
        <translation>취소되었습니다.</translation>
    </message>
</context>
<context>
    <name>porthole::gui::LoginDialog</name>
    <message>
        <location filename="../app/gui/dialogs/logindialog.cpp" line="21"/>
        <source>Log in to a registry</source>
        <translation>레지스트리에 로그인</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/logindialog.cpp" line="24"/>
        <source>docker.io (Docker Hub)</source>
        <translation>docker.io (Docker Hub)</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/logindialog.cpp" line="26"/>
        <source>&amp;Registry:</source>
        <translation>레지스트리(&amp;R):</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/logindialog.cpp" line="28"/>
        <source>&amp;User name:</source>
        <translation>사용자 이름(&amp;U):</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/logindialog.cpp" line="31"/>
        <source>&amp;Password:</source>
        <translation>비밀번호(&amp;P):</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/logindialog.cpp" line="32"/>
        <source>Do not &amp;verify TLS (--tls-verify=false): plain HTTP or an unchecked certificate</source>
        <translation>TLS를 확인하지 않음(&amp;V) (--tls-verify=false): 일반 HTTP 또는 확인하지 않는 인증서</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/logindialog.cpp" line="35"/>
        <source>Porthole checks the user name and password with the registry, then keeps them where docker keeps its logins, so pulls and pushes use them.</source>
        <translation>Porthole은 사용자 이름과 비밀번호를 레지스트리에 확인한 뒤 docker가 로그인 정보를 두는 곳에 저장합니다. 이후 가져오기와 올리기에 이 정보가 쓰입니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/logindialog.cpp" line="41"/>
        <source>Log in</source>
        <translation>로그인</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/logindialog.cpp" line="100"/>
        <source>The login was cancelled.</source>
        <translation>로그인이 취소되었습니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/logindialog.cpp" line="101"/>
        <source>Login failed: %1</source>
        <translation>로그인하지 못했습니다: %1</translation>
    </message>
</context>
<context>
    <name>porthole::gui::LogsWindow</name>
    <message>
        <location filename="../app/gui/dialogs/logswindow.cpp" line="27"/>
        <source>Logs of %1</source>
        <translation>%1의 로그</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/logswindow.cpp" line="29"/>
        <source>Reading the log…</source>
        <translation>로그를 읽는 중…</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/logswindow.cpp" line="30"/>
        <source>&amp;Follow: show new lines as the container writes them</source>
        <translation>따라가기(&amp;F): 컨테이너가 쓰는 새 줄을 바로 보여 줍니다</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/logswindow.cpp" line="34"/>
        <source>Log of %1</source>
        <translation>%1의 로그</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/logswindow.cpp" line="100"/>
        <source>Could not read the log of %1: %2</source>
        <translation>%1의 로그를 읽지 못했습니다: %2</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/dialogs/logswindow.cpp" line="133"/>
        <source>The last %n line(s) of the log.</source>
        <translation>
            <numerusform>로그의 마지막 %n줄입니다.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/dialogs/logswindow.cpp" line="134"/>
        <source>The whole log: %n line(s).</source>
        <translation>
            <numerusform>로그 전체: %n줄.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>porthole::gui::MainWindow</name>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="39"/>
        <source>Porthole</source>
        <translation>포트홀</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="43"/>
        <source>Sections</source>
        <translation>구역</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="50"/>
        <source>Images</source>
        <translation>이미지</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="51"/>
        <source>Containers</source>
        <translation>컨테이너</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="52"/>
        <source>Volumes</source>
        <translation>볼륨</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="53"/>
        <source>Jobs</source>
        <translation>작업</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="64"/>
        <source>The porthole command that does what your last action did</source>
        <translation>마지막으로 한 동작과 같은 일을 하는 porthole 명령</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="71"/>
        <source>Actions</source>
        <translation>동작</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="77"/>
        <source>Progress of the running jobs</source>
        <translation>실행 중인 작업의 진행 상황</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="111"/>
        <source>%1 is an image archive (%2): loading it.</source>
        <translation>%1은(는) 이미지 아카이브(%2)입니다: 불러오는 중입니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="107"/>
        <source>%1 is a filesystem tarball: importing it as an image.</source>
        <translation>%1은(는) 파일 시스템 tar 파일입니다: 이미지로 가져오는 중입니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="109"/>
        <source>%1 is an image archive: loading it.</source>
        <translation>%1은(는) 이미지 아카이브입니다: 불러오는 중입니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="141"/>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="142"/>
        <source>&amp;Settings…</source>
        <translation>설정(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="144"/>
        <source>&amp;Refresh</source>
        <translation>새로 고침(&amp;R)</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="147"/>
        <source>&amp;Copy command</source>
        <translation>명령 복사(&amp;C)</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="150"/>
        <source>C&amp;lean up…</source>
        <translation>정리(&amp;L)…</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="152"/>
        <source>&amp;Quit</source>
        <translation>끝내기(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="155"/>
        <source>&amp;View</source>
        <translation>보기(&amp;V)</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="161"/>
        <source>&amp;Actions</source>
        <translation>동작(&amp;A)</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="211"/>
        <source>%1 failed: %2</source>
        <translation>%1 실패: %2</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="213"/>
        <source>%1: cancelled</source>
        <translation>%1: 취소됨</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="214"/>
        <source>%1: done</source>
        <translation>%1: 완료</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="228"/>
        <source>%1 failed</source>
        <translation>%1 실패</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="233"/>
        <source>Command: %1</source>
        <translation>명령: %1</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="234"/>
        <source>Show in Jobs</source>
        <translation>작업에서 보기</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="235"/>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/mainwindow.cpp" line="257"/>
        <source>%n job(s) running</source>
        <translation>
            <numerusform>작업 %n개 실행 중</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="279"/>
        <source>Logged in to %1.</source>
        <translation>%1에 로그인했습니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="286"/>
        <source>Saved. Restart Porthole to use the new store root or language.</source>
        <translation>저장했습니다. 새 스토어 위치나 언어는 포트홀을 다시 시작하면 적용됩니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="288"/>
        <source>Settings saved.</source>
        <translation>설정을 저장했습니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="79"/>
        <source>Store: %1</source>
        <translation>스토어: %1</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="92"/>
        <source>Could not read the store: %1</source>
        <translation>스토어를 읽을 수 없습니다: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/mainwindow.cpp" line="94"/>
        <source>%n image(s) in %1</source>
        <translation>
            <numerusform>%1에 이미지 %n개</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>porthole::gui::Page</name>
    <message>
        <location filename="../app/gui/pages/page.cpp" line="59"/>
        <location filename="../app/gui/pages/page.cpp" line="60"/>
        <source>Filter</source>
        <translation>거르기</translation>
    </message>
</context>
<context>
    <name>porthole::gui::PullDialog</name>
    <message>
        <location filename="../app/gui/dialogs/pulldialog.cpp" line="25"/>
        <source>Pull an image</source>
        <translation>이미지 가져오기</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/pulldialog.cpp" line="28"/>
        <source>for example alpine:latest or localhost:5000/app:1.0</source>
        <translation>예: alpine:latest 또는 localhost:5000/app:1.0</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/pulldialog.cpp" line="30"/>
        <source>&amp;Image:</source>
        <translation>이미지(&amp;I):</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/pulldialog.cpp" line="33"/>
        <source>This machine&apos;s</source>
        <translation>이 컴퓨터와 같은 플랫폼</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/pulldialog.cpp" line="36"/>
        <source>Platform</source>
        <translation>플랫폼</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/pulldialog.cpp" line="37"/>
        <source>&amp;Platform:</source>
        <translation>플랫폼(&amp;P):</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/pulldialog.cpp" line="49"/>
        <source>Layer progress</source>
        <translation>레이어 진행 상황</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/pulldialog.cpp" line="56"/>
        <source>&amp;Pull</source>
        <translation>가져오기(&amp;P)</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/pulldialog.cpp" line="58"/>
        <source>Cancel pull</source>
        <translation>가져오기 취소</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/pulldialog.cpp" line="62"/>
        <source>Close this window; a running pull goes on and the Jobs page shows it.</source>
        <translation>이 창을 닫습니다. 진행 중인 가져오기는 계속되며 작업 페이지에서 볼 수 있습니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/pulldialog.cpp" line="128"/>
        <source>Pulling %1…</source>
        <translation>%1 가져오는 중…</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/pulldialog.cpp" line="146"/>
        <source>Layer %1</source>
        <translation>레이어 %1</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/pulldialog.cpp" line="156"/>
        <source>%1: %2 of %3</source>
        <translation>%1: %3 중 %2</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/pulldialog.cpp" line="174"/>
        <source>%1 is up to date.</source>
        <translation>%1은(는) 이미 최신입니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/pulldialog.cpp" line="174"/>
        <source>Pulled %1.</source>
        <translation>%1을(를) 가져왔습니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/pulldialog.cpp" line="181"/>
        <source>The pull was cancelled; nothing of it was kept.</source>
        <translation>가져오기를 취소했습니다. 받은 내용은 남기지 않았습니다.</translation>
    </message>
</context>
<context>
    <name>porthole::gui::RunDialog</name>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="28"/>
        <source>Name &quot;%1&quot;: use letters, digits, &apos;_&apos;, &apos;.&apos; and &apos;-&apos;, at least two characters, starting with a letter or digit.</source>
        <translation>이름 &quot;%1&quot;: 영문자, 숫자, &apos;_&apos;, &apos;.&apos;, &apos;-&apos;만 쓸 수 있고, 두 글자 이상이며 영문자나 숫자로 시작해야 합니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="36"/>
        <source>Environment &quot;%1&quot;: the variable name is missing before &apos;=&apos;.</source>
        <translation>환경 변수 &quot;%1&quot;: &apos;=&apos; 앞에 변수 이름이 없습니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="38"/>
        <source>Environment &quot;%1&quot;: a variable name cannot contain spaces.</source>
        <translation>환경 변수 &quot;%1&quot;: 변수 이름에는 공백을 쓸 수 없습니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="52"/>
        <source>Volume &quot;%1&quot;: write /host/path:/container/path or name:/container/path, optionally followed by :ro.</source>
        <translation>볼륨 &quot;%1&quot;: /호스트/경로:/컨테이너/경로 또는 이름:/컨테이너/경로 형식으로 쓰고, 필요하면 뒤에 :ro를 붙입니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="62"/>
        <source>Port &quot;%1&quot;: write HOST_PORT:CONTAINER_PORT (for example 8080:80), optionally with an address before and /udp after.</source>
        <translation>포트 &quot;%1&quot;: 호스트포트:컨테이너포트 형식(예: 8080:80)으로 쓰고, 필요하면 앞에 주소를, 뒤에 /udp를 붙입니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="75"/>
        <source>Memory limit &quot;%1&quot;: write a size such as 512m or 2g.</source>
        <translation>메모리 한도 &quot;%1&quot;: 512m이나 2g처럼 크기를 씁니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="77"/>
        <source>Memory limit &quot;%1&quot;: the smallest limit is 6m.</source>
        <translation>메모리 한도 &quot;%1&quot;: 가장 작은 한도는 6m입니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="113"/>
        <source>Run %1</source>
        <translation>%1 실행</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="117"/>
        <source>&amp;Image:</source>
        <translation>이미지(&amp;I):</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="119"/>
        <source>empty: a generated name</source>
        <translation>비우면 이름을 자동으로 만듭니다</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="120"/>
        <source>&amp;Name:</source>
        <translation>이름(&amp;N):</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="122"/>
        <source>empty: the image&apos;s command</source>
        <translation>비우면 이미지의 기본 명령</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="123"/>
        <source>&amp;Command:</source>
        <translation>명령(&amp;C):</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="125"/>
        <source>KEY=value, one per line</source>
        <translation>한 줄에 하나씩 KEY=값</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="125"/>
        <source>Environment variables</source>
        <translation>환경 변수</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="126"/>
        <source>&amp;Environment:</source>
        <translation>환경 변수(&amp;E):</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="128"/>
        <source>/host/path:/container/path[:ro], one per line</source>
        <translation>한 줄에 하나씩 /호스트/경로:/컨테이너/경로[:ro]</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="128"/>
        <source>Volumes</source>
        <translation>볼륨</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="129"/>
        <source>Add &amp;folder…</source>
        <translation>폴더 추가(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="130"/>
        <source>Choose a folder of this computer to mount in the container</source>
        <translation>컨테이너에 연결할 이 컴퓨터의 폴더를 고릅니다</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="136"/>
        <source>&amp;Volumes:</source>
        <translation>볼륨(&amp;V):</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="140"/>
        <source>8080:80, one per line</source>
        <translation>한 줄에 하나씩 8080:80</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="140"/>
        <source>Published ports</source>
        <translation>공개할 포트</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="141"/>
        <source>&amp;Ports:</source>
        <translation>포트(&amp;P):</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="144"/>
        <source>Private (its own network, the default)</source>
        <translation>전용 (컨테이너만의 네트워크, 기본값)</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="145"/>
        <source>Host (shares this computer&apos;s network)</source>
        <translation>호스트 (이 컴퓨터의 네트워크를 함께 씀)</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="146"/>
        <source>None (no network)</source>
        <translation>없음 (네트워크 없음)</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="147"/>
        <source>Ne&amp;twork:</source>
        <translation>네트워크(&amp;T):</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="164"/>
        <source>empty: no limit; for example 512m or 2g</source>
        <translation>비우면 한도 없음 (예: 512m, 2g)</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="165"/>
        <source>&amp;Memory limit:</source>
        <translation>메모리 한도(&amp;M):</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="170"/>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="176"/>
        <source>No limit</source>
        <translation>한도 없음</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="171"/>
        <source>How many of this computer&apos;s CPUs the container may use at most</source>
        <translation>컨테이너가 이 컴퓨터의 CPU를 최대 몇 개까지 쓸 수 있는지 정합니다</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="172"/>
        <source>CP&amp;Us:</source>
        <translation>CPU(&amp;U):</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="177"/>
        <source>How many processes and threads the container may have at once; this stops a fork bomb</source>
        <translation>컨테이너가 한꺼번에 가질 수 있는 프로세스와 스레드 수입니다. 포크 폭탄을 막습니다</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="178"/>
        <source>Process &amp;limit:</source>
        <translation>프로세스 한도(&amp;L):</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="149"/>
        <source>Keep standard input &amp;open (-i)</source>
        <translation>표준 입력 열어 두기(&amp;O) (-i)</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="150"/>
        <source>Allocate a &amp;terminal (-t)</source>
        <translation>터미널 할당(&amp;T) (-t)</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="151"/>
        <source>&amp;Remove the container when it exits (--rm)</source>
        <translation>끝나면 컨테이너 삭제(&amp;R) (--rm)</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="156"/>
        <source>Options:</source>
        <translation>옵션:</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="160"/>
        <source>The container starts in the background. With -i and -t a shell keeps running, and you can attach to it later.</source>
        <translation>컨테이너는 백그라운드에서 시작됩니다. -i와 -t를 함께 켜면 셸이 계속 실행되어 나중에 연결할 수 있습니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="167"/>
        <source>Run</source>
        <translation>실행</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="211"/>
        <source>Choose the image to run.</source>
        <translation>실행할 이미지를 고르세요.</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="217"/>
        <source>Command: a quote is not closed.</source>
        <translation>명령: 닫히지 않은 따옴표가 있습니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/rundialog.cpp" line="239"/>
        <source>Folder to mount</source>
        <translation>연결할 폴더</translation>
    </message>
</context>
<context>
    <name>porthole::gui::SettingsDialog</name>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="48"/>
        <source>&quot;%1&quot;: write the host without a scheme (for example, localhost:5000).</source>
        <translation>&quot;%1&quot;: 호스트는 스킴 없이 씁니다 (예: localhost:5000).</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="50"/>
        <source>&quot;%1&quot;: a registry is a host and an optional port, without a path.</source>
        <translation>&quot;%1&quot;: 레지스트리는 호스트와 포트(선택)로만 쓰고 경로는 붙이지 않습니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="55"/>
        <source>&quot;%1&quot; is not a host name or a host:port.</source>
        <translation>&quot;%1&quot;은(는) 호스트 이름이나 호스트:포트 형식이 아닙니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="62"/>
        <source>Settings</source>
        <translation>설정</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="68"/>
        <source>Browse…</source>
        <translation>찾아보기…</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="69"/>
        <source>Choose the store root folder</source>
        <translation>스토어 루트 폴더 고르기</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="74"/>
        <source>Store &amp;root:</source>
        <translation>스토어 루트(&amp;R):</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="79"/>
        <source>Name &lt;email@example.com&gt;</source>
        <translation>이름 &lt;email@example.com&gt;</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="80"/>
        <source>Default &amp;author:</source>
        <translation>기본 작성자(&amp;A):</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="83"/>
        <source>System</source>
        <translation>시스템 설정</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="88"/>
        <source>&amp;Language:</source>
        <translation>언어(&amp;L):</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="90"/>
        <source>localhost:5000</source>
        <translation>localhost:5000</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="90"/>
        <source>Insecure registries</source>
        <translation>보안 검사 없는 레지스트리</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="92"/>
        <source>&amp;Insecure registries:</source>
        <translation>보안 검사 없는 레지스트리(&amp;I):</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="94"/>
        <source>One host[:port] per line. Porthole reaches these registries over plain HTTP or without checking their certificate (--tls-verify=false).</source>
        <translation>한 줄에 호스트[:포트] 하나씩. 포트홀은 이 레지스트리에 일반 HTTP로 접속하거나 인증서를 확인하지 않고 접속합니다 (--tls-verify=false).</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="97"/>
        <source>Log in to a &amp;registry…</source>
        <translation>레지스트리에 로그인(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="99"/>
        <source>Logins:</source>
        <translation>로그인:</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="101"/>
        <source>Terminal</source>
        <translation>터미널</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="107"/>
        <source>&amp;Font:</source>
        <translation>글꼴(&amp;F):</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="110"/>
        <source> pt</source>
        <translation> pt</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="112"/>
        <source>Font si&amp;ze:</source>
        <translation>글꼴 크기(&amp;Z):</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="114"/>
        <source>Zoom In and Zoom Out in the terminal (its menu, or Ctrl and the mouse wheel) start from this size; the zoom is kept until Reset Zoom.</source>
        <translation>터미널의 확대와 축소(터미널 메뉴 또는 Ctrl과 마우스 휠)는 이 크기에서 시작하며, 원래 크기로 되돌릴 때까지 유지됩니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="119"/>
        <source>The store root and the language take effect when Porthole is restarted.</source>
        <translation>스토어 루트와 언어는 포트홀을 다시 시작하면 적용됩니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="124"/>
        <source>Save</source>
        <translation>저장</translation>
    </message>
    <message>
        <location filename="../app/gui/dialogs/settingsdialog.cpp" line="179"/>
        <source>Store root</source>
        <translation>스토어 루트</translation>
    </message>
</context>
<context>
    <name>porthole::gui::TerminalTabs</name>
    <message>
        <location filename="../app/gui/terminal/terminaltabs.cpp" line="34"/>
        <source>&amp;Copy</source>
        <translation>복사(&amp;C)</translation>
    </message>
    <message>
        <location filename="../app/gui/terminal/terminaltabs.cpp" line="35"/>
        <source>&amp;Paste</source>
        <translation>붙여넣기(&amp;P)</translation>
    </message>
    <message>
        <location filename="../app/gui/terminal/terminaltabs.cpp" line="36"/>
        <source>Zoom &amp;In</source>
        <translation>확대(&amp;I)</translation>
    </message>
    <message>
        <location filename="../app/gui/terminal/terminaltabs.cpp" line="37"/>
        <source>Zoom &amp;Out</source>
        <translation>축소(&amp;O)</translation>
    </message>
    <message>
        <location filename="../app/gui/terminal/terminaltabs.cpp" line="38"/>
        <source>&amp;Reset Zoom</source>
        <translation>원래 크기(&amp;R)</translation>
    </message>
    <message>
        <location filename="../app/gui/terminal/terminaltabs.cpp" line="145"/>
        <source>%1 (exited %2)</source>
        <translation>%1 (종료 코드 %2)</translation>
    </message>
    <message>
        <location filename="../app/gui/terminal/terminaltabs.cpp" line="146"/>
        <source>%1 (ended)</source>
        <translation>%1 (끝남)</translation>
    </message>
</context>
<context>
    <name>porthole::gui::VolumeListModel</name>
    <message>
        <location filename="../app/gui/models/volumelistmodel.cpp" line="42"/>
        <source>Not used</source>
        <translation>사용 안 함</translation>
    </message>
    <message>
        <location filename="../app/gui/models/volumelistmodel.cpp" line="53"/>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <location filename="../app/gui/models/volumelistmodel.cpp" line="54"/>
        <source>Driver</source>
        <translation>드라이버</translation>
    </message>
    <message>
        <location filename="../app/gui/models/volumelistmodel.cpp" line="55"/>
        <source>Size</source>
        <translation>크기</translation>
    </message>
    <message>
        <location filename="../app/gui/models/volumelistmodel.cpp" line="56"/>
        <source>Used by</source>
        <translation>사용 중인 컨테이너</translation>
    </message>
    <message>
        <location filename="../app/gui/models/volumelistmodel.cpp" line="57"/>
        <source>Mountpoint</source>
        <translation>마운트 지점</translation>
    </message>
</context>
<context>
    <name>porthole::gui::VolumesPage</name>
    <message>
        <location filename="../app/gui/pages/volumespage.cpp" line="24"/>
        <source>Volumes</source>
        <translation>볼륨</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/volumespage.cpp" line="51"/>
        <source>Volumes appear here</source>
        <translation>볼륨이 여기에 표시됩니다</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/volumespage.cpp" line="57"/>
        <source>Named volumes keep data apart from a container, for example with -v data:/var/lib/data in the Run dialog, or porthole volume create data. There are none yet.</source>
        <translation>이름 있는 볼륨은 데이터를 컨테이너와 따로 보관합니다. 예를 들어 실행 대화 상자에서 -v data:/var/lib/data처럼 쓰거나 porthole volume create data로 만듭니다. 아직 볼륨이 없습니다.</translation>
    </message>
    <message>
        <location filename="../app/gui/pages/volumespage.cpp" line="113"/>
        <source>Could not list the volumes: %1</source>
        <translation>볼륨 목록을 읽지 못했습니다: %1</translation>
    </message>
</context>
<context>
    <name>porthole::service::EngineService</name>
    <message>
        <location filename="../engine/service/servicejobs.cpp" line="19"/>
        <source>Pull %1</source>
        <translation>%1 가져오기</translation>
    </message>
    <message>
        <location filename="../engine/service/servicejobs.cpp" line="27"/>
        <source>Push %1</source>
        <translation>%1 푸시</translation>
    </message>
    <message>
        <location filename="../engine/service/servicejobs.cpp" line="35"/>
        <source>Tag %1 as %2</source>
        <translation>%1에 %2 태그 붙이기</translation>
    </message>
    <message>
        <location filename="../engine/service/servicejobs.cpp" line="41"/>
        <source>Remove image %1</source>
        <translation>이미지 %1 삭제</translation>
    </message>
    <message>
        <location filename="../engine/service/servicejobs.cpp" line="47"/>
        <source>Import %1</source>
        <translation>%1 들여오기</translation>
    </message>
    <message>
        <location filename="../engine/service/servicejobs.cpp" line="55"/>
        <source>Commit %1</source>
        <translation>%1 커밋</translation>
    </message>
    <message>
        <location filename="../engine/service/servicejobs.cpp" line="61"/>
        <source>Run %1</source>
        <translation>%1 실행</translation>
    </message>
    <message>
        <location filename="../engine/service/servicejobs.cpp" line="71"/>
        <source>Save %1</source>
        <translation>%1 저장</translation>
    </message>
    <message>
        <location filename="../engine/service/servicejobs.cpp" line="79"/>
        <source>Load %1</source>
        <translation>%1 불러오기</translation>
    </message>
    <message>
        <location filename="../engine/service/servicejobs.cpp" line="95"/>
        <source>Export %1</source>
        <translation>%1 내보내기</translation>
    </message>
    <message>
        <location filename="../engine/service/servicejobs.cpp" line="103"/>
        <source>Log in to %1</source>
        <translation>%1에 로그인</translation>
    </message>
    <message>
        <location filename="../engine/service/servicequeries.cpp" line="12"/>
        <source>History of %1</source>
        <translation>%1의 기록</translation>
    </message>
    <message>
        <location filename="../engine/service/servicequeries.cpp" line="18"/>
        <location filename="../engine/service/engineservice.cpp" line="348"/>
        <source>Changes of %1</source>
        <translation>%1의 변경 사항</translation>
    </message>
    <message>
        <location filename="../engine/service/servicequeries.cpp" line="25"/>
        <source>List volumes</source>
        <translation>볼륨 목록</translation>
    </message>
    <message>
        <location filename="../engine/service/servicejobs.cpp" line="111"/>
        <source>Clean up</source>
        <translation>정리</translation>
    </message>
    <message>
        <location filename="../engine/service/servicequeries.cpp" line="32"/>
        <source>Layers of %1</source>
        <translation>%1의 레이어</translation>
    </message>
    <message>
        <location filename="../engine/service/servicequeries.cpp" line="45"/>
        <source>Logs of %1</source>
        <translation>%1의 로그</translation>
    </message>
    <message>
        <location filename="../engine/service/servicejobs.cpp" line="163"/>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <location filename="../engine/service/servicejobs.cpp" line="119"/>
        <source>Inspect %1</source>
        <translation>%1 살펴보기</translation>
    </message>
    <message>
        <location filename="../engine/service/servicejobs.cpp" line="128"/>
        <source>Extract files</source>
        <translation>파일 꺼내기</translation>
    </message>
</context>
</TS>
