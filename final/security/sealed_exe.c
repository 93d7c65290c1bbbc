//> final
#include "security/sealed_exe.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "error.h"

/* Every seal: no write, no resize, and no unsealing. */
#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

int sealed_exe_reexec(char **argv)
{
	extern char **environ;
	AUTO_CLOSE int self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	struct stat st;
	int copy;

	if (self < 0)
		return err_sys("open /proc/self/exe");
	/* Already the sealed copy: F_GET_SEALS answers only for a memfd. */
	if (fcntl(self, F_GET_SEALS) == SEALS)
		return 0;
	if (fstat(self, &st) < 0)
		return err_sys("stat /proc/self/exe");
	/* MFD_CLOEXEC: the copy runs by fexecve, and its fd goes away with
	 * the exec (the kernel keeps the file while it runs). */
	if ((copy = memfd_create("mydocker", MFD_CLOEXEC | MFD_ALLOW_SEALING)) < 0)
		return err_sys("memfd_create");
	for (off_t off = 0; off < st.st_size; ) {
		ssize_t n = sendfile(copy, self, &off, st.st_size - off);
		if (n <= 0) {
			close(copy);
			return n < 0 ? err_sys("copy the runtime into memory") : err_set("/proc/self/exe shrank");
		}
	}
	if (fcntl(copy, F_ADD_SEALS, SEALS) < 0) {
		close(copy);
		return err_sys("seal the runtime's copy");
	}
	fexecve(copy, argv, environ);
	close(copy);
	return err_sys("exec the runtime's sealed copy");
}
