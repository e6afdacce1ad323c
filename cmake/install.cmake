# Install rules: the layout of an installed liburing 2.15 (headers,
# liburing.{a,so*}, liburing-ffi.{a,so*}, liburing.pc, liburing-ffi.pc), plus
# our own headers that liburing.h needs (liburing/detail/, uring/) and a
# CMake package (find_package(bareuring)).
#
# Included from the top-level CMakeLists.txt after add_subdirectory(src).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# All of include/: liburing.h, liburing/{io_uring,compat,barrier,
# io_uring_version}.h, liburing/io_uring/*.h, liburing/detail/*.h, uring/.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

# Shared libraries come with their symlinks: liburing.so -> liburing.so.2 ->
# liburing.so.2.15 (and the same for liburing-ffi).
install(TARGETS uring uring-shared uring-ffi uring-ffi-shared
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})

# pkg-config files are written at install time, not configure time, so that
# `cmake --install --prefix P` gets prefix=P in them.
foreach(pc liburing liburing-ffi)
  install(CODE "
    set(BAREURING_PC_TEMPLATE \"${CMAKE_CURRENT_LIST_DIR}/${pc}.pc.in\")
    set(BAREURING_PC_STAGING \"${PROJECT_BINARY_DIR}/pkgconfig-staging\")
    set(BAREURING_LIBDIR \"${CMAKE_INSTALL_LIBDIR}\")
    set(BAREURING_INCLUDEDIR \"${CMAKE_INSTALL_INCLUDEDIR}\")
    set(BAREURING_VERSION \"${PROJECT_VERSION}\")
    include(\"${CMAKE_CURRENT_LIST_DIR}/install_pkgconfig.cmake\")")
endforeach()

# find_package(bareuring) — relocatable: paths are relative to the config file.
set(BAREURING_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/bareuring)
configure_package_config_file(
  ${CMAKE_CURRENT_LIST_DIR}/bareuringConfig.cmake.in
  ${PROJECT_BINARY_DIR}/bareuringConfig.cmake
  INSTALL_DESTINATION ${BAREURING_CMAKE_DIR}
  PATH_VARS CMAKE_INSTALL_LIBDIR CMAKE_INSTALL_INCLUDEDIR)
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/bareuringConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/bareuringConfig.cmake ${PROJECT_BINARY_DIR}/bareuringConfigVersion.cmake
        DESTINATION ${BAREURING_CMAKE_DIR})
