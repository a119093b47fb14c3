/*
 * quiz_cli.h - mmsim quiz, the command (quiz.h has the generator).
 */
#ifndef MMSIM_QUIZ_CLI_H
#define MMSIM_QUIZ_CLI_H

#include "quiz.h"

extern const char quiz_usage[];
/* mmsim quiz with the arguments after the command word; the exit status. */
int quiz_main(int argc, char **argv);

#endif
