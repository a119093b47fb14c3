/*
 * grade_cli.h - mmsim grade, the command (answers.h, goals.h and lab.h do
 * the grading, report.h writes the result).
 */
#ifndef MMSIM_GRADE_CLI_H
#define MMSIM_GRADE_CLI_H

extern const char grade_usage[];
/* mmsim grade with the arguments after the command word; the exit status. */
int grade_main(int argc, char **argv);

#endif
