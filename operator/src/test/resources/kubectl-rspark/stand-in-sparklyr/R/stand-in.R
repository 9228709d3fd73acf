# As sparklyr 1.8.6, a sparklyr.* setting comes from the config, else from R's options.
spark_connect <- function(master, method, config = list()) {
  setting <- function(name) if (name %in% names(config)) config[[name]] else getOption(name, TRUE)
  message("stand-in sparklyr connected to ", master)
  list(master = master, method = method,
       hive = setting("sparklyr.connect.enablehivesupport"),
       apply_packages = setting("sparklyr.apply.packages"))
}
