/* Prints "mapped: PATH" for the liburing shared object this process has
 * mapped (from /proc/self/maps), or "mapped: none" when it was linked
 * statically, so the caller can tell which library really ran. */
#pragma once

#include <stdio.h>
#include <string.h>

static void print_mapped_liburing(void)
{
	FILE *maps = fopen("/proc/self/maps", "r");
	char line[4096];
	const char *found = NULL;

	while (maps && !found && fgets(line, sizeof(line), maps)) {
		char *path = strchr(line, '/');
		if (path && strstr(path, "/liburing")) {
			path[strcspn(path, "\n")] = '\0';
			found = path;
		}
	}
	printf("mapped: %s\n", found ? found : "none");
	if (maps)
		fclose(maps);
}
