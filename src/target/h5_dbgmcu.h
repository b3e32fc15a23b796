/*
 * STM32H5 DBGMCU_SR, as the debugger reads it through AP0 at either DBGMCU view (facts B.1).
 * One place for the debug-authentication transport, the attach sequences and the H5 driver.
 */
#ifndef STM32UNBRICK_H5_DBGMCU_H
#define STM32UNBRICK_H5_DBGMCU_H

#define UB_DBGMCU_SR 0x0FCu                   /* AP_PRESENT [15:0], AP_ENABLED [31:16] */
#define UB_DBGMCU_SR_AP_ENABLED(n) (1u << (16u + (n)))
#define UB_DBGMCU_SR_AP1_ENABLED UB_DBGMCU_SR_AP_ENABLED(1u)

#endif
