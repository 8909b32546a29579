/**
 * Who may do what, on the model of a notebook server that executes code: on loopback (the
 * default) everyone on the machine is the presenter; bound beyond it, changing state
 * takes the presenter token and reading takes a viewer link. Requests whose Host header
 * names a host this server does not answer to are refused whatever the binding (DNS
 * rebinding).
 */
package io.threadline.access;
