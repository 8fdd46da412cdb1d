# cmake -DENGINE_DIR=<source>/engine -P relativeincludes.cmake
#
# The include roots (porthole_add_engine_module) decide what a module sees
# only for "module/header.h" includes: a quoted include is looked up first
# beside the including file, so "../service/engine.h" from layer/ would
# reach service/ past them. No engine file may climb out of its directory.
file(GLOB_RECURSE files ${ENGINE_DIR}/*.h ${ENGINE_DIR}/*.cpp ${ENGINE_DIR}/*.c)
set(found "")
foreach(file IN LISTS files)
  file(STRINGS ${file} lines REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<][^\">]*\\.\\./")
  foreach(line IN LISTS lines)
    file(RELATIVE_PATH rel ${ENGINE_DIR} ${file})
    string(APPEND found "  engine/${rel}: ${line}\n")
  endforeach()
endforeach()
if(found)
  message(FATAL_ERROR "includes that climb out of their module's directory:\n${found}")
endif()
message(STATUS "no engine file includes a path with ../")
