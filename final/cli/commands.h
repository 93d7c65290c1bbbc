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
int cmd_attach(int argc, char **argv);
int cmd_kill(int argc, char **argv);
int cmd_wait(int argc, char **argv);
int cmd_pause(int argc, char **argv);
int cmd_unpause(int argc, char **argv);
int cmd_rename(int argc, char **argv);
int cmd_container(int argc, char **argv);
int cmd_image(int argc, char **argv);
//<

#endif
