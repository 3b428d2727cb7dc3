// SPDX-License-Identifier: GPL-2.0
/*
 * The live state's debugfs files (Documentation/parown.rst, "Live state"):
 * /sys/kernel/debug/parown/parportN, one per port, each read rendered by
 * Rust; and the process references the state names owners and waiters by.
 */

#include <linux/debugfs.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>

#include "parown_glue.h"

/* Set by parown_glue_debugfs_init(), before any port file exists. */
static const struct parown_glue_state_ops *state_ops;
static struct dentry *state_dir;

static int parown_state_show(struct seq_file *m, void *unused)
{
	return state_ops->show(m->private, m);
}

static int parown_state_open(struct inode *inode, struct file *file)
{
	return single_open(file, parown_state_show, inode->i_private);
}

/*
 * debugfs_create_file() gives the file a proxy that makes
 * debugfs_remove() wait for reads in progress: after
 * parown_glue_debugfs_remove() returns, @show no longer runs with the
 * file's ctx.
 */
static const struct file_operations parown_state_fops = {
	.owner = THIS_MODULE,
	.open = parown_state_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

void parown_glue_debugfs_init(const struct parown_glue_state_ops *ops)
{
	state_ops = ops;
	/* Like every debugfs user, parown goes on without it. */
	state_dir = debugfs_create_dir("parown", NULL);
}

void parown_glue_debugfs_exit(void)
{
	debugfs_remove(state_dir);
	state_dir = NULL;
}

struct dentry *parown_glue_debugfs_port(unsigned int number, const void *ctx)
{
	char name[24];

	snprintf(name, sizeof(name), "parport%u", number);
	/* Root only: the state names other users' processes. */
	return debugfs_create_file(name, 0400, state_dir, (void *)ctx,
				   &parown_state_fops);
}

void parown_glue_debugfs_remove(struct dentry *file)
{
	debugfs_remove(file);
}

void parown_glue_seq_write(struct seq_file *m, const u8 *bytes, size_t len)
{
	seq_write(m, bytes, len);
}

struct pid *parown_glue_current_tgid(void)
{
	return get_task_pid(current, PIDTYPE_TGID);
}

void parown_glue_put_pid(struct pid *pid)
{
	put_pid(pid);
}

/*
 * @pid's number in the reader's pid namespace (0 if not visible there),
 * and its command into @comm (@len bytes), empty once it has exited.
 */
int parown_glue_pid_describe(struct pid *pid, char *comm, size_t len)
{
	struct task_struct *task = get_pid_task(pid, PIDTYPE_TGID);

	comm[0] = 0;
	if (task) {
		strscpy_pad(comm, task->comm, len);
		put_task_struct(task);
	}
	return pid_vnr(pid);
}
