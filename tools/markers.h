/* Chapter markers: how one source file in final/ becomes the file of any chapter.
 *
 * Lines without markers belong to every chapter (from ch01 on). Markers are
 * comment lines of their own (leading blanks allowed):
 *
 *   //> ch03         the lines down to the matching //< are from chapter 3 on
 *   //> ch03 ch05    ... from chapter 3 until chapter 5, which replaces them
 *   //<              end of the innermost region
 *   //> final        ... in final/ only: no chapter of the book has them
 *   //| text         the starter's stub for the innermost region
 *   //- text         a line of a region that a later chapter replaces
 *
 * Regions nest; a line is in a chapter when every region around it is. A
 * region opened on the first line and never closed covers the whole file.
 *
 * A region with an end chapter holds code that final/ no longer runs. Its
 * lines are written "//- " and the line, so that final/ as it stands is a
 * program with one definition of each thing (an editor, clangd and the
 * compiler read it directly); the chapters before the end get them back
 * without the "//- ".
 *
 * Starter for chapter N: a region of chapter N that has //| lines is replaced
 * by them ("//| " removed, indentation kept); regions of chapter N without
 * stubs are scaffolding and stay.
 */
#ifndef MYDOCKER_MARKERS_H
#define MYDOCKER_MARKERS_H

#include <stddef.h>

/* The chapter number of final/ and of "//> final". */
#define MARKERS_FINAL 99

/* Filter text for chapter ch (starter: as a starter). On success *out is a
 * malloc'd NUL-terminated string and 0 is returned; on a marker error -1 is
 * returned and err says which line and why. */
int markers_filter(const char *text, int ch, int starter, char **out, char *err, size_t errsize);

/* "ch04" or "ch04-overlay" -> 4; -1 when it is not a chapter name. */
int chapter_number(const char *name);

#endif
