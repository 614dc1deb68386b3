/*
 * The agent's tracer (x86_64 Linux), compiled by the test with `cc`.
 *
 *   tracer REPORT NEEDLE_FILE -- PROGRAM ARGS...   runs PROGRAM traced, as a tracer attached
 *       to the user's shell would: it follows every fork, clone and exec. Once a traced
 *       process calls listen() (a proxy that has unlocked its keys and serves), it rewrites
 *       that process's next system call into prctl(PR_SET_DUMPABLE, 1) with registers only,
 *       replays the original call, and searches the process's memory (/proc/PID/mem) for the
 *       bytes of NEEDLE_FILE, then kills it. Every step goes to REPORT, one line each; the
 *       exit code is PROGRAM's.
 *   tracer victim NEEDLE_FILE                        the control: holds the needle in memory,
 *       makes itself non-dumpable (as byok does), listens on a loopback port, then sleeps.
 *
 * Against the victim the attack must succeed (the tracer works); against byok it must not.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef __x86_64__
#error "the tracer rewrites x86_64 registers"
#endif

static FILE *report;
static char needle[256];
static size_t needle_len;

static void read_needle(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror("needle"); exit(2); }
    needle_len = fread(needle, 1, sizeof needle, f);
    fclose(f);
    while (needle_len && (needle[needle_len - 1] == '\n')) needle_len--;
    if (!needle_len) { fprintf(stderr, "empty needle\n"); exit(2); }
}

static int victim(void) {
    /* The secret on the heap, as a key would be. */
    char *secret = malloc(needle_len + 1);
    memcpy(secret, needle, needle_len);
    secret[needle_len] = 0;
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(s, (struct sockaddr *)&a, sizeof a);
    listen(s, 1);
    for (int i = 0; i < 30; i++) {
        struct timespec t = {0, 100 * 1000 * 1000};
        nanosleep(&t, NULL);
    }
    return secret[0] == 0;
}

/* Searches every readable mapping of `pid` for the needle: "found", or why not. */
static const char *search(pid_t pid) {
    static char why[128];
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/maps", pid);
    FILE *maps = fopen(path, "r");
    if (!maps) { snprintf(why, sizeof why, "maps refused: %s", strerror(errno)); return why; }
    snprintf(path, sizeof path, "/proc/%d/mem", pid);
    int mem = open(path, O_RDONLY);
    if (mem < 0) {
        fclose(maps);
        snprintf(why, sizeof why, "mem refused: %s", strerror(errno));
        return why;
    }
    const char *result = "not found";
    char line[512];
    static char buf[1 << 20];
    int refused = 0, read_any = 0;
    while (fgets(line, sizeof line, maps)) {
        unsigned long start, end;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &start, &end, perms) != 3 || perms[0] != 'r') continue;
        for (unsigned long at = start; at < end;) {
            size_t want = end - at < sizeof buf ? end - at : sizeof buf;
            ssize_t got = pread(mem, buf, want, (off_t)at);
            if (got <= 0) { if (errno == EPERM || errno == EACCES) refused = 1; break; }
            read_any = 1;
            if (memmem(buf, (size_t)got, needle, needle_len)) { result = "found"; goto done; }
            /* A needle across two reads: step back by its length. */
            at += (unsigned long)got > needle_len ? (unsigned long)got - needle_len : (unsigned long)got;
        }
    }
    if (!read_any && refused) {
        snprintf(why, sizeof why, "mem refused: %s", strerror(EPERM));
        result = why;
    }
done:
    close(mem);
    fclose(maps);
    return result;
}

/* Whether the user may open /proc/PID/mem now: what non-dumpable forbids. */
static int dumpable(pid_t pid) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/mem", pid);
    int fd = open(path, O_RDONLY);
    if (fd < 0) return 0;
    close(fd);
    return 1;
}

struct thread { pid_t tid; int in_call; int injected; struct user_regs_struct saved; };
static struct thread threads[4096];

static struct thread *thread_of(pid_t tid) {
    for (int i = 0; i < 4096; i++)
        if (threads[i].tid == tid) return &threads[i];
    for (int i = 0; i < 4096; i++)
        if (threads[i].tid == 0) { threads[i].tid = tid; return &threads[i]; }
    return &threads[0];
}

static pid_t tgid_of(pid_t tid) {
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", tid);
    FILE *f = fopen(path, "r");
    if (!f) return tid;
    pid_t tgid = tid;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "Tgid: %d", &tgid) == 1) break;
    fclose(f);
    return tgid;
}

int main(int argc, char **argv) {
    if (argc == 3 && !strcmp(argv[1], "victim")) {
        read_needle(argv[2]);
        return victim();
    }
    if (argc < 5 || strcmp(argv[3], "--")) {
        fprintf(stderr, "usage: tracer REPORT NEEDLE_FILE -- PROGRAM ARGS...\n");
        return 2;
    }
    report = fopen(argv[1], "w");
    if (!report) { perror("report"); return 2; }
    setvbuf(report, NULL, _IOLBF, 0);
    read_needle(argv[2]);

    pid_t child = fork();
    if (child == 0) {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        raise(SIGSTOP);
        execvp(argv[4], argv + 4);
        _exit(127);
    }
    int status;
    waitpid(child, &status, 0);
    ptrace(PTRACE_SETOPTIONS, child, 0,
           PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
               PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL);
    fprintf(report, "traced %d\n", child);
    ptrace(PTRACE_SYSCALL, child, 0, 0);

    pid_t armed = 0; /* the process that called listen() */
    int flipped = 0, exit_code = 1;
    for (;;) {
        pid_t tid = waitpid(-1, &status, __WALL);
        if (tid < 0) break; /* no tracee left */
        if (WIFEXITED(status) || WIFSIGNALED(status)) {
            if (tid == child) {
                exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                fprintf(report, "exit %d\n", exit_code);
            }
            thread_of(tid)->tid = 0;
            continue;
        }
        if (!WIFSTOPPED(status)) continue;
        int sig = WSTOPSIG(status);
        int deliver = 0;
        if (sig == (SIGTRAP | 0x80)) {
            struct thread *t = thread_of(tid);
            struct user_regs_struct regs;
            ptrace(PTRACE_GETREGS, tid, 0, &regs);
            if (!t->in_call) {
                t->in_call = 1;
                if (regs.orig_rax == SYS_listen && !armed) {
                    armed = tgid_of(tid);
                    fprintf(report, "listen by %d\n", armed);
                } else if (armed && !flipped && tgid_of(tid) == armed) {
                    fprintf(report, "memory before: %s\n", search(armed));
                    /* Rewrite this call into prctl(PR_SET_DUMPABLE, 1); replay it after. */
                    t->saved = regs;
                    regs.orig_rax = SYS_prctl;
                    regs.rdi = PR_SET_DUMPABLE;
                    regs.rsi = 1;
                    ptrace(PTRACE_SETREGS, tid, 0, &regs);
                    t->injected = 1;
                }
            } else {
                t->in_call = 0;
                if (t->injected) {
                    t->injected = 0;
                    flipped = 1;
                    fprintf(report, "prctl(PR_SET_DUMPABLE, 1) returned %lld; dumpable %s\n",
                            (long long)regs.rax, dumpable(armed) ? "yes" : "no");
                    fprintf(report, "memory: %s\n", search(armed));
                    /* The attack is over either way: stop the traced process. */
                    kill(armed, SIGKILL);
                    /* Replay the original call: back over the 2-byte `syscall` instruction. */
                    t->saved.rip -= 2;
                    t->saved.rax = t->saved.orig_rax;
                    ptrace(PTRACE_SETREGS, tid, 0, &t->saved);
                }
            }
        } else if (sig == SIGTRAP && (status >> 16) != 0) {
            /* fork, clone or exec event: nothing to do. */
        } else if (sig == SIGSTOP && thread_of(tid)->in_call == 0 && (status >> 16) == 0) {
            /* A new tracee's first stop, or a real SIGSTOP: let it run. */
        } else {
            deliver = sig;
        }
        ptrace(PTRACE_SYSCALL, tid, 0, (void *)(long)deliver);
    }
    if (armed && !flipped) fprintf(report, "no call to rewrite\n");
    if (!armed) fprintf(report, "no listen\n");
    return exit_code;
}
