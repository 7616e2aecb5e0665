# One INTERFACE target with the compile settings every project target shares.
add_library(tsp_common INTERFACE)
add_library(Tsp::Common ALIAS tsp_common)
target_compile_features(tsp_common INTERFACE cxx_std_20)
target_compile_definitions(tsp_common INTERFACE
    QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_URL_CAST_FROM_STRING QT_NO_CONTEXTLESS_CONNECT QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_USE_QSTRINGBUILDER QT_NO_FOREACH QT_DISABLE_DEPRECATED_UP_TO=0x060400
    TSP_VERSION="${PROJECT_VERSION}")
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(tsp_common INTERFACE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
    if(TSP_CI)
        target_compile_options(tsp_common INTERFACE -Werror)
    endif()
    if(TSP_SANITIZE)
        target_compile_options(tsp_common INTERFACE -fsanitize=address,undefined
            -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
        target_link_options(tsp_common INTERFACE -fsanitize=address,undefined)
    endif()
    # lld links one test under ASan in about a third of GNU ld's time (measured on tst_botservice,
    # 2026-12-05: 2.5 s against 7.0 s), and the suite links about a hundred executables. Without
    # lld (the README's first command does not install it) GNU ld stays.
    if(TSP_LLD)
        include(CheckLinkerFlag)
        check_linker_flag(CXX -fuse-ld=lld TSP_HAVE_LLD)
        if(TSP_HAVE_LLD)
            target_link_options(tsp_common INTERFACE -fuse-ld=lld)
        endif()
    endif()
endif()
