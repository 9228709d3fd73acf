# Mirrors SparkR 3.1.2 where it matters here: head() and filter() are S4 methods on
# SparkDataFrame, and sparkR.session() calls install.spark() when SPARK_HOME does not exist.
setClass("SparkDataFrame", representation(ids = "numeric"))

setGeneric("head")
setMethod("head", "SparkDataFrame", function(x, n = 6L, ...) {
  data.frame(id = x@ids[seq_len(min(n, length(x@ids)))])
})

setGeneric("filter", function(x, condition) standardGeneric("filter"))
setMethod("filter", "SparkDataFrame", function(x, condition) {
  new("SparkDataFrame", ids = x@ids[condition])
})

setMethod("$", "SparkDataFrame", function(x, name) x@ids)

createDataFrame <- function(data) new("SparkDataFrame", ids = as.numeric(data$id))

sparkR.session <- function(...) {
  if (!dir.exists(Sys.getenv("SPARK_HOME"))) {
    stop("Spark not found in SPARK_HOME: the real SparkR would call install.spark() now")
  }
  message("stand-in SparkR session on backend port ", Sys.getenv("EXISTING_SPARKR_BACKEND_PORT"))
  invisible(new("SparkDataFrame", ids = numeric()))
}
