# Runs at install time (from install.cmake's install(CODE)): fills one .pc
# template with the prefix actually being installed to, then installs it
# with file(INSTALL), which honours DESTDIR and records the install manifest.
#
# In: BAREURING_PC_TEMPLATE, BAREURING_PC_STAGING, BAREURING_LIBDIR,
#     BAREURING_INCLUDEDIR, BAREURING_VERSION; CMAKE_INSTALL_PREFIX.

# pkg-config variables: libdir/includedir relative to ${prefix} when they can be.
function(bareuring_pc_dir out dir)
  if(IS_ABSOLUTE "${dir}")
    set(${out} "${dir}" PARENT_SCOPE)
  else()
    set(${out} "\${prefix}/${dir}" PARENT_SCOPE)
  endif()
endfunction()

set(prefix "${CMAKE_INSTALL_PREFIX}")
bareuring_pc_dir(libdir "${BAREURING_LIBDIR}")
bareuring_pc_dir(includedir "${BAREURING_INCLUDEDIR}")
set(version "${BAREURING_VERSION}")

get_filename_component(name "${BAREURING_PC_TEMPLATE}" NAME_WLE)
configure_file("${BAREURING_PC_TEMPLATE}" "${BAREURING_PC_STAGING}/${name}" @ONLY)

if(IS_ABSOLUTE "${BAREURING_LIBDIR}")
  set(destination "${BAREURING_LIBDIR}/pkgconfig")
else()
  set(destination "${CMAKE_INSTALL_PREFIX}/${BAREURING_LIBDIR}/pkgconfig")
endif()
file(INSTALL DESTINATION "${destination}" TYPE FILE FILES "${BAREURING_PC_STAGING}/${name}")
