#ifndef FOREWARN_CHDF5_SHIM_H
#define FOREWARN_CHDF5_SHIM_H
#include <stdio.h>
#include <hdf5.h>

/* HDF5 exposes its predefined types, property-list classes and file-access
   flags as macros that expand to library globals read after H5open(); Swift
   cannot import such macros, so each one is re-exported as an inline function. */
static inline hid_t fw_h5t_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t fw_h5t_native_int32(void) { return H5T_NATIVE_INT32; }
static inline hid_t fw_h5t_native_uint8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t fw_h5t_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t fw_h5t_std_i64le(void) { return H5T_STD_I64LE; }
static inline hid_t fw_h5t_std_i32le(void) { return H5T_STD_I32LE; }
static inline hid_t fw_h5t_ieee_f64le(void) { return H5T_IEEE_F64LE; }
static inline hid_t fw_h5t_c_s1(void) { return H5T_C_S1; }
static inline hid_t fw_h5p_file_create(void) { return H5P_FILE_CREATE; }
static inline hid_t fw_h5p_file_access(void) { return H5P_FILE_ACCESS; }
static inline hid_t fw_h5p_dataset_create(void) { return H5P_DATASET_CREATE; }
static inline hid_t fw_h5p_link_create(void) { return H5P_LINK_CREATE; }
static inline unsigned fw_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned fw_h5f_acc_rdwr(void) { return H5F_ACC_RDWR; }
static inline unsigned fw_h5f_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline unsigned fw_h5f_acc_excl(void) { return H5F_ACC_EXCL; }
static inline hsize_t fw_h5s_unlimited(void) { return H5S_UNLIMITED; }
static inline size_t fw_h5t_variable(void) { return H5T_VARIABLE; }
static inline hid_t fw_h5_default(void) { return H5P_DEFAULT; }

/* H5Ewalk2 needs a C callback; walking upward, entry 0 is the innermost
   frame, whose description is usually the most specific ("file signature not
   found", "truncated file"). It is copied into the caller's buffer. */
static inline herr_t fw_h5e_innermost_cb(unsigned n, const H5E_error2_t *err, void *data) {
    char *out = (char *)data;
    if (n == 0 && err != NULL && err->desc != NULL) {
        snprintf(out, 512, "%s (in %s)", err->desc, err->func_name ? err->func_name : "?");
    }
    return 0;
}

/* Copies the innermost message of the current error stack into `out`
   (at least 512 bytes; empty when the stack is empty) and clears the stack. */
static inline void fw_h5e_take_innermost(char *out) {
    out[0] = 0;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, fw_h5e_innermost_cb, out);
    H5Eclear2(H5E_DEFAULT);
}
#endif
