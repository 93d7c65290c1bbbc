/* The subcommands: each takes its own argv (argv[0] is its name) and
 * returns the exit code. */
#ifndef MYDOCKER_COMMANDS_H
#define MYDOCKER_COMMANDS_H

int cmd_run(int argc, char **argv);
//> ch06
int cmd_ps(int argc, char **argv);
int cmd_logs(int argc, char **argv);
int cmd_stop(int argc, char **argv);
int cmd_rm(int argc, char **argv);
//<
//> ch07
int cmd_exec(int argc, char **argv);
//<
//> ch08
int cmd_network(int argc, char **argv);
//<
//> ch09
int cmd_commit(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_images(int argc, char **argv);
int cmd_rmi(int argc, char **argv);
int cmd_import(int argc, char **argv);
//<
//> final
int cmd_tag(int argc, char **argv);
int cmd_attach(int argc, char **argv);
int cmd_kill(int argc, char **argv);
int cmd_wait(int argc, char **argv);
int cmd_pause(int argc, char **argv);
int cmd_unpause(int argc, char **argv);
int cmd_rename(int argc, char **argv);
int cmd_start(int argc, char **argv);
int cmd_restart(int argc, char **argv);
int cmd_cp(int argc, char **argv);
int cmd_container(int argc, char **argv);
int cmd_image(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_container_inspect(int argc, char **argv);
int cmd_image_inspect(int argc, char **argv);
int cmd_network_inspect(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_port(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_system(int argc, char **argv);
int cmd_system_df(int argc, char **argv);
int cmd_container_prune(int argc, char **argv);
int cmd_image_prune(int argc, char **argv);
int cmd_network_prune(int argc, char **argv);
int cmd_system_prune(int argc, char **argv);

/* run.c: the exited container r run again as run was given it (start,
 * restart): attach, in the foreground; else by a monitor, ref printed. */
struct record;
int run_again(const struct record *r, const char *ref, int attach);

/* The release, and the commit it was built from (the Makefile's BUILD). */
#define MYDOCKER_VERSION "1.0.0-dev"
#ifndef MYDOCKER_BUILD
#define MYDOCKER_BUILD "unknown"
#endif
//<

#endif
