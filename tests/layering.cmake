# The layering rule of docs/architecture.md, checked on the sources:
#  - no file under models/ or widgets/ includes a header of services/ (they see the value types
#    of models/data and nothing else of the services);
#  - libpqxx, hiredis and nlohmann_json headers appear only under services/ (and the tests).
# The build enforces the first too (models and widgets do not get the services' include
# folders); this names each offending line. Run: cmake -DSOURCE_DIR=<repo> -P tests/layering.cmake
cmake_minimum_required(VERSION 3.25)
if(NOT SOURCE_DIR)
  message(FATAL_ERROR "pass -DSOURCE_DIR=<the repository>")
endif()
file(GLOB_RECURSE service_headers RELATIVE ${SOURCE_DIR} ${SOURCE_DIR}/services/*.h)
set(service_names "")
foreach(h IN LISTS service_headers)
  get_filename_component(name ${h} NAME)
  list(APPEND service_names ${name})
endforeach()
file(GLOB_RECURSE data_headers ${SOURCE_DIR}/models/data/*.h)
foreach(h IN LISTS data_headers)
  get_filename_component(name ${h} NAME)
  list(REMOVE_ITEM service_names ${name})
endforeach()

set(problems "")
file(GLOB_RECURSE upper RELATIVE ${SOURCE_DIR} ${SOURCE_DIR}/models/*.h ${SOURCE_DIR}/models/*.cpp
  ${SOURCE_DIR}/widgets/*.h ${SOURCE_DIR}/widgets/*.cpp)
file(GLOB_RECURSE apps RELATIVE ${SOURCE_DIR} ${SOURCE_DIR}/app/*.h ${SOURCE_DIR}/app/*.cpp)
foreach(f IN LISTS upper apps)
  file(STRINGS ${SOURCE_DIR}/${f} includes REGEX "^[ \t]*#[ \t]*include")
  foreach(line IN LISTS includes)
    string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*[<\"]([^>\"]+)[>\"].*" "\\1" header "${line}")
    if(header MATCHES "^(pqxx|hiredis|nlohmann)/")
      string(APPEND problems "  ${f}: ${line} (a driver's header outside services/)\n")
    elseif(NOT f MATCHES "^app/" AND header IN_LIST service_names)
      string(APPEND problems "  ${f}: ${line} (a header of services/)\n")
    endif()
  endforeach()
endforeach()
if(problems)
  message(FATAL_ERROR "The layering is broken (docs/architecture.md):\n${problems}")
endif()
list(LENGTH upper n)
message(STATUS "layering: ${n} files of models/ and widgets/ include no header of services/")
