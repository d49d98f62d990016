/*
 * The terminal-query filter on a VM's console output: a pure state machine
 * over the VM's vm_console (held bytes in esc[]), called under the console
 * lock by console.c and on the host by the unit tests.
 *
 * Requests a guest writes for the terminal to answer never reach the
 * terminal. The terminal is shared by every VM and by
 * Tessera, so a guest's question cannot get a meaningful answer: the reply
 * would go, as typed input, to whichever VM holds the input (perhaps not the
 * asker) and at some later time (a VM not holding the input has its output
 * held until its line ends, and the answer comes when it is shown). Busybox
 * ash asks for the cursor position (ESC [ 6 n) after every prompt; a late
 * answer (ESC [ 50 ; 24 R) reaches a shell that is running a command, and the
 * tty echoes it into the guest's output as "^[[50;24R". So these are dropped
 * (ECMA-48 control sequences, CSI = ESC [, held until their final byte):
 * CSI ... n (device status, cursor position report), CSI ... c (device
 * attributes, primary to tertiary), CSI ... t (window reports, and window
 * changes a guest has no business making on a shared terminal), CSI ? ... $ p
 * (DECRQM), and ESC Z (DECID). Programs that ask do without an answer (ash
 * only uses it to correct its idea of the cursor column). Every other
 * sequence (colours, cursor movement) passes unchanged. Replies are not
 * filtered from the input instead: as bytes they are keys too (xterm sends
 * ESC [ 1 ; 2 R for Shift-F3).
 */
#include <tessera/console.h>

#define ESC '\033'

/* Is the held CSI sequence ending in @final a request the terminal answers? */
static bool csi_is_query(const struct vm_console *con, char final)
{
	bool intermediate = false;

	for (unsigned int i = 2; i < con->esc_len; i++)
		intermediate |= con->esc[i] >= 0x20 && con->esc[i] <= 0x2f;
	if (intermediate)
		return final == 'p' && con->esc[con->esc_len - 1] == '$'; /* DECRQM */
	return final == 'n' || final == 'c' || final == 't';
}

/* The bytes held back go to @out as they came; returns how many. */
static unsigned int release(struct vm_console *con, char *out)
{
	unsigned int n = con->esc_len;

	for (unsigned int i = 0; i < n; i++)
		out[i] = con->esc[i];
	con->esc_len = 0;
	return n;
}

unsigned int console_filter(struct vm_console *con, char c, char out[CONSOLE_FILTER_OUT])
{
	unsigned int n;

	if (con->esc_len == 1 && c == '[') {
		con->esc[con->esc_len++] = c;
		return 0;
	}
	if (con->esc_len == 1 && c == 'Z') { /* DECID */
		con->esc_len = 0;
		return 0;
	}
	if (con->esc_len >= 2) {
		if (c >= 0x20 && c <= 0x3f && con->esc_len < CONSOLE_ESC_MAX) {
			con->esc[con->esc_len++] = c; /* parameter or intermediate byte */
			return 0;
		}
		if (c >= 0x40 && c <= 0x7e) { /* final byte */
			if (csi_is_query(con, c)) {
				con->esc_len = 0;
				return 0;
			}
			n = release(con, out);
			out[n++] = c;
			return n;
		}
	}
	/* Not a query (or longer than any): out as it came; @c may start another. */
	n = release(con, out);
	if (c == ESC)
		con->esc[con->esc_len++] = c;
	else
		out[n++] = c;
	return n;
}
