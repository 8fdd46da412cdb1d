<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko" sourcelanguage="en">
<context>
    <name>porthole::gui::MainWindow</name>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="42"/>
        <source>Porthole</source>
        <translation>포트홀</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="47"/>
        <source>Images</source>
        <translation>이미지</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="48"/>
        <source>Repository</source>
        <translation>저장소</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="48"/>
        <source>Tag</source>
        <translation>태그</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="48"/>
        <source>Image ID</source>
        <translation>이미지 ID</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="48"/>
        <source>Created</source>
        <translation>생성</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="48"/>
        <source>Size</source>
        <translation>크기</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="51"/>
        <source>Store: %1</source>
        <translation>저장소 위치: %1</translation>
    </message>
    <message>
        <location filename="../app/gui/mainwindow.cpp" line="70"/>
        <source>Could not read the store: %1</source>
        <translation>저장소를 읽을 수 없습니다: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/mainwindow.cpp" line="82"/>
        <source>%n image(s) in %1</source>
        <translation>
            <numerusform>%1에 이미지 %n개</numerusform>
        </translation>
    </message>
</context>
</TS>
