# Configure-time checks that keep app/ in its layers: a target that breaks
# its rule fails the configure, naming the file or the library.
#
# porthole_check_layer(<target>
#     [OWN_INCLUDES_ONLY]        quoted includes name only the target's own headers
#     [NO_INCLUDES <regex>]      no quoted include matches <regex>
#     [NO_LINKS <regex>]         no direct link library matches <regex>
#     WHY <text>)                the rule, in the message
#
# The files checked are the target's sources under the source tree and the
# header next to each. Links are LINK_LIBRARIES and INTERFACE_LINK_LIBRARIES,
# the target's own: a library it must not reach through another is caught
# where that other target is checked. tests/app/layercheck/ shows each rule
# failing.

# The quoted includes of <files>, as "<file>: <path>" in <out>, of those whose
# path matches <regex> (or, with NOT_IN, is not in the list <allowed>).
function(porthole_include_offences out)
  cmake_parse_arguments(ARG "" "MATCHING;ROOT" "FILES;NOT_IN" ${ARGN})
  set(found)
  foreach(file IN LISTS ARG_FILES)
    file(STRINGS ${file} lines REGEX "^[ \t]*#[ \t]*include[ \t]*\"")
    foreach(line IN LISTS lines)
      string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*\"([^\"]*)\".*" "\\1" path "${line}")
      set(bad FALSE)
      if(DEFINED ARG_MATCHING AND path MATCHES "${ARG_MATCHING}")
        set(bad TRUE)
      endif()
      if(DEFINED ARG_NOT_IN AND NOT path IN_LIST ARG_NOT_IN AND NOT path MATCHES "\\.moc$")
        set(bad TRUE)
      endif()
      if(bad)
        cmake_path(RELATIVE_PATH file BASE_DIRECTORY ${ARG_ROOT} OUTPUT_VARIABLE shown)
        list(APPEND found "${shown}: #include \"${path}\"")
      endif()
    endforeach()
  endforeach()
  set(${out} ${found} PARENT_SCOPE)
endfunction()

function(porthole_check_layer target)
  cmake_parse_arguments(ARG "OWN_INCLUDES_ONLY" "NO_INCLUDES;NO_LINKS;WHY" "" ${ARGN})
  get_target_property(dir ${target} SOURCE_DIR)
  get_target_property(sources ${target} SOURCES)
  # The include root the target's headers are named from (app/).
  get_target_property(roots ${target} INTERFACE_INCLUDE_DIRECTORIES)
  set(root ${dir})
  if(roots)
    list(GET roots 0 root)
  endif()
  set(files)
  set(own)
  foreach(src IN LISTS sources)
    cmake_path(ABSOLUTE_PATH src BASE_DIRECTORY ${dir})
    if(NOT src MATCHES "\\.(cpp|h)$" OR NOT EXISTS ${src} OR NOT src MATCHES "^${PROJECT_SOURCE_DIR}/")
      continue() # generated: moc, resources, translations
    endif()
    cmake_path(REPLACE_EXTENSION src LAST_ONLY .h OUTPUT_VARIABLE header)
    list(APPEND files ${src})
    if(EXISTS ${header})
      list(APPEND files ${header})
      cmake_path(RELATIVE_PATH header BASE_DIRECTORY ${root})
      list(APPEND own ${header})
    endif()
  endforeach()
  list(REMOVE_DUPLICATES files)

  set(offences)
  if(DEFINED ARG_NO_INCLUDES)
    porthole_include_offences(found ROOT ${PROJECT_SOURCE_DIR} FILES ${files} MATCHING "${ARG_NO_INCLUDES}")
    list(APPEND offences ${found})
  endif()
  if(ARG_OWN_INCLUDES_ONLY)
    porthole_include_offences(found ROOT ${PROJECT_SOURCE_DIR} FILES ${files} NOT_IN ${own})
    list(APPEND offences ${found})
  endif()
  if(DEFINED ARG_NO_LINKS)
    set(libs)
    foreach(property LINK_LIBRARIES INTERFACE_LINK_LIBRARIES)
      get_target_property(value ${target} ${property})
      if(value)
        list(APPEND libs ${value})
      endif()
    endforeach()
    foreach(lib IN LISTS libs)
      if(lib MATCHES "${ARG_NO_LINKS}")
        list(APPEND offences "${target} links ${lib}")
      endif()
    endforeach()
  endif()

  if(offences)
    list(REMOVE_DUPLICATES offences)
    list(JOIN offences "\n  " text)
    message(FATAL_ERROR "layer check ${target}: ${ARG_WHY}\n  ${text}")
  endif()
endfunction()
